package io.cachemode.operator.reconcile;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.CacheModeStatus;
import io.cachemode.operator.audit.Events;
import io.cachemode.operator.audit.OperatorMetrics;
import io.cachemode.operator.cache.CacheModeIndexes;
import io.cachemode.operator.cache.ScannedIndexes;
import io.cachemode.operator.targets.Target;
import io.cachemode.operator.targets.TargetFactory;
import io.cachemode.operator.targets.kubernetes.KubernetesInformers;
import io.cachemode.operator.verify.VerificationJobs;
import io.cachemode.operator.verify.Verifier;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reconciles CacheModes: observe, decide, act, record. The {@link Observer} reads the world, the
 * {@link PhaseMachine} (pure) decides, the {@link Executor} acts, the {@link StatusBuilder} is the
 * only writer of status, written once per reconcile. Secondary informers are narrowed to objects
 * the operator has labelled, so it never caches every Secret or Deployment in the cluster.
 */
@ControllerConfiguration(name = "cachemode")
public class CacheModeReconciler
    implements Reconciler<CacheMode>, Cleaner<CacheMode>, AutoCloseable {
  private static final int MAX_ERROR_MESSAGE = 300;

  private final Clock clock;
  private final TargetFactory targets;
  private final ReconcileCore core;
  private final Notifier notifier;
  private final Events events;
  private final OperatorMetrics metrics;
  private final SimpleInboundEventSource<CacheMode> jobsDone =
      new SimpleInboundEventSource<>("verification-jobs");
  private final Function<IndexedResourceCache<CacheMode>, CacheModeIndexes> indexesOver;

  /** Set when the event sources are prepared, before the first reconcile. */
  private volatile CacheModeIndexes indexes;

  /**
   * @param verificationThreads how many health checks and GET-rate samples run at once, across all
   *     CacheModes
   * @param indexesOver the lookups by flag location and workload over the controller's cache: the
   *     {@link CacheModeStore} it was given, or a {@link ScannedIndexes} when it has none
   */
  public CacheModeReconciler(
      Clock clock,
      TargetFactory targets,
      Verifier verification,
      int verificationThreads,
      Events events,
      OperatorMetrics metrics,
      Function<IndexedResourceCache<CacheMode>, CacheModeIndexes> indexesOver) {
    this.clock = clock;
    this.indexesOver = indexesOver;
    this.targets = targets;
    this.events = events;
    this.metrics = metrics;
    this.core =
        new ReconcileCore(
            new VerificationJobs<>(verificationThreads, jobsDone::propagateEvent),
            verification,
            clock);
    this.notifier = new Notifier(events, metrics);
  }

  @Override
  public UpdateControl<CacheMode> reconcile(CacheMode cm, Context<CacheMode> context) {
    ReconcileCore.Outcome outcome =
        core.step(cm, targets.create(cm), () -> Claims.contenders(indexes, cm));
    Decision decision = outcome.decision();
    if (decision.status().changed()) {
      // Patch and cache, so the next reconcile reads this status even if the informer has not
      // caught up yet: deciding from a stale phase would repeat a write or an event.
      PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(
          cm, statusOnly(cm, decision.status().next()), context);
    }
    core.recorded(outcome);
    notifier.announce(cm, decision, outcome.results());
    UpdateControl<CacheMode> control = UpdateControl.noUpdate();
    decision.requeue().ifPresent(control::rescheduleAfter);
    return control;
  }

  @Override
  public ErrorStatusUpdateControl<CacheMode> updateErrorStatus(
      CacheMode cm, Context<CacheMode> context, Exception e) {
    String message = Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName());
    if (message.length() > MAX_ERROR_MESSAGE) {
      message = message.substring(0, MAX_ERROR_MESSAGE) + "...";
    }
    return ErrorStatusUpdateControl.patchStatus(
        statusOnly(cm, StatusBuilder.error(cm, clock.instant(), message)));
  }

  /**
   * Gives up the claim on the flag's home (label and owner annotation), so the admission policy
   * stops guarding a key nobody manages. The value stays as it is: deleting a CacheMode is not a
   * request to switch Redis back on.
   */
  @Override
  public DeleteControl cleanup(CacheMode cm, Context<CacheMode> context) {
    Target target = targets.create(cm);
    if (target.release()) {
      events.normal(
          cm,
          "ClaimReleased",
          "CacheMode deleted: removed the "
              + ApiConstants.MANAGED_KEY_LABEL
              + " label and "
              + ApiConstants.OWNER_ANNOTATION
              + " annotation from "
              + target.location()
              + "; its value was left as it is");
    }
    core.forget(cm);
    metrics.forget(cm);
    return DeleteControl.defaultDelete();
  }

  @Override
  public void close() {
    core.close();
  }

  @Override
  public List<EventSource<?, CacheMode>> prepareEventSources(
      EventSourceContext<CacheMode> context) {
    List<EventSource<?, CacheMode>> sources = new ArrayList<>();
    indexes = indexesOver.apply(context.getPrimaryCache());
    Claims.index(indexes);
    sources.add(jobsDone);
    sources.addAll(KubernetesInformers.eventSources(context, targets.informerCaches(), indexes));
    return sources;
  }

  private static CacheMode statusOnly(CacheMode cm, CacheModeStatus status) {
    CacheMode patch = new CacheMode();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(cm.getMetadata().getName())
            .withNamespace(cm.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return patch;
  }
}
