package io.cachemode.operator.support;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for the operator's own pools. Daemons, so that a pool nobody closed (a test's, or one
 * whose owner failed to start) never holds the JVM open after the operator stopped; numbered, so a
 * thread dump tells the pools apart.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  public static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
