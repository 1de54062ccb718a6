package io.cachemode.operator.reconcile;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.CacheModeStatus;
import io.cachemode.operator.api.WorkloadReference;
import io.cachemode.operator.targets.TargetFactory;
import io.cachemode.operator.targets.kubernetes.KubernetesTarget;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reconciles CacheModes: resolves the target, lets the {@link TransitionDriver} take the next step,
 * and writes the status once. Secondary informers are narrowed to objects the operator has
 * labelled, so it never caches every Secret or Deployment in the cluster.
 */
@ControllerConfiguration(name = "cachemode")
public class CacheModeReconciler implements Reconciler<CacheMode> {
  private static final int MAX_ERROR_MESSAGE = 300;

  private final Clock clock;
  private final TargetFactory targets;
  private final TransitionDriver driver;
  private final Notifier notifier;

  public CacheModeReconciler(
      Clock clock,
      TargetFactory targets,
      Verification verification,
      io.cachemode.operator.audit.Events events,
      io.cachemode.operator.audit.OperatorMetrics metrics) {
    this.clock = clock;
    this.targets = targets;
    this.notifier = new Notifier(events, metrics);
    this.driver = new TransitionDriver(clock, verification, notifier);
  }

  @Override
  public UpdateControl<CacheMode> reconcile(CacheMode cm, Context<CacheMode> context) {
    StatusUpdate st = new StatusUpdate(cm, clock);
    Optional<String> conflict =
        Claims.conflict(cm, context.getPrimaryCache().list(cm.getMetadata().getNamespace()));
    TransitionDriver.Outcome outcome = driver.drive(cm, targets.create(cm), conflict, st);
    notifier.phaseChanges(cm, st.phaseChanges());
    if (st.changed()) {
      // Patch and cache, so the next reconcile reads this status even if the informer has not
      // caught up yet:
      // deciding from a stale phase would repeat health checks and events.
      PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(
          cm, statusOnly(cm, st.next()), context);
    }
    UpdateControl<CacheMode> control = UpdateControl.noUpdate();
    outcome.requeueAfter().ifPresent(control::rescheduleAfter);
    return control;
  }

  @Override
  public ErrorStatusUpdateControl<CacheMode> updateErrorStatus(
      CacheMode cm, Context<CacheMode> context, Exception e) {
    StatusUpdate st = new StatusUpdate(cm, clock);
    String message = Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName());
    if (message.length() > MAX_ERROR_MESSAGE) {
      message = message.substring(0, MAX_ERROR_MESSAGE) + "...";
    }
    st.conditionUnknown(Conditions.READY, "ReconcileError", message + " (retrying)");
    return ErrorStatusUpdateControl.patchStatus(statusOnly(cm, st.next()));
  }

  @Override
  public List<EventSource<?, CacheMode>> prepareEventSources(
      EventSourceContext<CacheMode> context) {
    IndexerResourceCache<CacheMode> primaries = context.getPrimaryCache();
    var secrets =
        InformerEventSourceConfiguration.from(Secret.class, CacheMode.class)
            .withName("secrets")
            .withLabelSelector(ApiConstants.MANAGED_KEY_LABEL)
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(
                (Secret s) ->
                    Optional.ofNullable(s.getMetadata().getAnnotations())
                        .map(a -> a.get(ApiConstants.OWNER_ANNOTATION))
                        .map(owner -> Set.of(new ResourceID(owner, s.getMetadata().getNamespace())))
                        .orElse(Set.of()))
            .build();
    return List.of(
        new InformerEventSource<>(secrets, context),
        new InformerEventSource<>(
            workloadInformer(Deployment.class, "deployments", primaries), context),
        new InformerEventSource<>(
            workloadInformer(StatefulSet.class, "statefulsets", primaries), context));
  }

  private static <W extends HasMetadata> InformerEventSourceConfiguration<W> workloadInformer(
      Class<W> type, String name, IndexerResourceCache<CacheMode> primaries) {
    return InformerEventSourceConfiguration.from(type, CacheMode.class)
        .withName(name)
        .withLabelSelector(KubernetesTarget.MANAGED_WORKLOAD_LABEL + "=true")
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(
            (W w) ->
                primaries
                    .list(w.getMetadata().getNamespace(), cm -> reads(cm, w))
                    .map(ResourceID::fromResource)
                    .collect(Collectors.toSet()))
        .build();
  }

  /** Whether {@code cm} restarts workload {@code w}, by name or by label selector. */
  static boolean reads(CacheMode cm, HasMetadata w) {
    var k8s = cm.getSpec().getTarget().getKubernetes();
    if (k8s == null) {
      return false;
    }
    List<WorkloadReference> refs = k8s.getWorkloads() == null ? List.of() : k8s.getWorkloads();
    boolean named =
        refs.stream()
            .anyMatch(
                r ->
                    r.getKind().name().equals(w.getKind())
                        && r.getName().equals(w.getMetadata().getName()));
    Map<String, String> selector = k8s.getWorkloadSelector();
    Map<String, String> labels = Optional.ofNullable(w.getMetadata().getLabels()).orElse(Map.of());
    boolean selected =
        selector != null
            && !selector.isEmpty()
            && labels.entrySet().containsAll(selector.entrySet());
    return named || selected;
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
