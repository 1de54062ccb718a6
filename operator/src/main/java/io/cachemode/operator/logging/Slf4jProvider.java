package io.cachemode.operator.logging;

import org.slf4j.jul.JULServiceProvider;
import org.slf4j.spi.MDCAdapter;

/**
 * slf4j-jdk14's provider with an MDC that new threads do not inherit. Its own (BasicMDCAdapter)
 * copies the MDC into every thread started while it is set: a pool thread first started from a
 * reconcile (verification jobs, Event senders, OkHttp's dispatcher) would then tag all its lines
 * with that reconcile's resource. Log4j's MDC was not inherited either.
 */
public final class Slf4jProvider extends JULServiceProvider {
  private final MDCAdapter mdc = new ThreadMdc();

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }
}
