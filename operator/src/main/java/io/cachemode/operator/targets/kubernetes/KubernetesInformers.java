package io.cachemode.operator.targets.kubernetes;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.KubernetesTargetSpec;
import io.cachemode.operator.api.WorkloadReference;
import io.cachemode.operator.cache.CacheModeIndexes;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Kubernetes target's informers, narrowed to objects the operator has labelled, so it never
 * caches every Secret or Deployment in the cluster, and their mapping back to CacheModes.
 */
public final class KubernetesInformers {
  /**
   * CacheMode cache indexes: which CacheModes name a workload, and which select workloads by label,
   * so a workload's event (and a claim check) looks at those instead of every CacheMode in the
   * namespace; at 1,000 CacheModes a scan per event was about a tenth of all allocation
   * (bench/README).
   */
  private static final String NAMED_WORKLOADS = "cachemode-named-workloads";

  private static final String SELECTING_WORKLOADS = "cachemode-selecting-workloads";

  private KubernetesInformers() {}

  /**
   * Adds the indexes {@link #naming} and the workloads' mapping read; before the informers start.
   */
  public static void index(CacheModeIndexes primaries) {
    primaries.addIndexer(NAMED_WORKLOADS, KubernetesInformers::namedWorkloads);
    primaries.addIndexer(SELECTING_WORKLOADS, KubernetesInformers::selecting);
  }

  /** The CacheModes in {@code namespace} that name workload {@code kind}/{@code name}. */
  public static List<CacheMode> naming(
      CacheModeIndexes primaries, String namespace, String kind, String name) {
    return primaries.byIndex(NAMED_WORKLOADS, workloadKey(namespace, kind, name));
  }

  private static List<String> namedWorkloads(CacheMode cm) {
    var k8s = kubernetes(cm);
    if (k8s == null || k8s.getWorkloads() == null) {
      return List.of();
    }
    return k8s.getWorkloads().stream()
        .filter(r -> r.getKind() != null && r.getName() != null)
        .map(r -> workloadKey(cm.getMetadata().getNamespace(), r.getKind().name(), r.getName()))
        .distinct()
        .toList();
  }

  private static List<String> selecting(CacheMode cm) {
    var k8s = kubernetes(cm);
    return k8s == null || k8s.getWorkloadSelector() == null || k8s.getWorkloadSelector().isEmpty()
        ? List.of()
        : List.of(cm.getMetadata().getNamespace());
  }

  private static KubernetesTargetSpec kubernetes(CacheMode cm) {
    return cm.getSpec() == null || cm.getSpec().getTarget() == null
        ? null
        : cm.getSpec().getTarget().getKubernetes();
  }

  private static String workloadKey(String namespace, String kind, String name) {
    return namespace + "/" + kind + "/" + name;
  }

  /** The informers, whose caches {@code caches} serves to the targets from then on. */
  public static List<EventSource<?, CacheMode>> eventSources(
      EventSourceContext<CacheMode> context, InformerCaches caches, CacheModeIndexes primaries) {
    index(primaries);
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
            .withOnUpdateFilter((Secret now, Secret before) -> !ownWrite(now, before))
            .build();
    var secretSource = new InformerEventSource<>(secrets, context);
    Set<String> namespaces = context.getControllerConfiguration().getEffectiveNamespaces();
    var deployments = workloads(Deployment.class, "deployments", namespaces, context, primaries);
    var statefulSets = workloads(StatefulSet.class, "statefulsets", namespaces, context, primaries);
    caches.use(secretSource::get, id -> find(deployments, id), id -> find(statefulSets, id));
    List<EventSource<?, CacheMode>> all = new ArrayList<>(List.of(secretSource));
    all.addAll(deployments);
    all.addAll(statefulSets);
    return all;
  }

  /**
   * One event source per watched namespace (one in all when all are watched), each with its own
   * {@link TrimmedWorkloadStore}: a store must not be shared between informers.
   */
  private static <W extends HasMetadata> List<InformerEventSource<W, CacheMode>> workloads(
      Class<W> type,
      String name,
      Set<String> namespaces,
      EventSourceContext<CacheMode> context,
      CacheModeIndexes primaries) {
    return namespaces.stream()
        .sorted()
        .map(
            ns ->
                workloads(type, primaries)
                    .withName(namespaces.size() == 1 ? name : name + "@" + ns)
                    .withNamespaces(ns)
                    .build())
        .map(config -> new InformerEventSource<>(config, context))
        .toList();
  }

  /**
   * The workload {@code id} from the source that watches its namespace; each holds only its own.
   */
  private static <W extends HasMetadata> Optional<W> find(
      List<InformerEventSource<W, CacheMode>> sources, ResourceID id) {
    return sources.stream().flatMap(s -> s.get(id).stream()).findFirst();
  }

  private static <W extends HasMetadata> InformerEventSourceConfiguration.Builder<W> workloads(
      Class<W> type, CacheModeIndexes primaries) {
    return InformerEventSourceConfiguration.from(type, CacheMode.class)
        .withLabelSelector(KubernetesTarget.MANAGED_WORKLOAD_LABEL + "=true")
        .withItemStore(new TrimmedWorkloadStore<>())
        .withOnUpdateFilter(RolloutRules::changesWhatRulesRead)
        .withSecondaryToPrimaryMapper(
            (W w) -> {
              String ns = w.getMetadata().getNamespace();
              return Stream.concat(
                      naming(primaries, ns, w.getKind(), w.getMetadata().getName()).stream(),
                      primaries.byIndex(SELECTING_WORKLOADS, ns).stream())
                  .filter(cm -> restarts(cm, w))
                  .map(ResourceID::fromResource)
                  .collect(Collectors.toSet());
            });
  }

  /**
   * Whether a Secret's update is the operator's own write of its key and nothing else: the cache
   * takes it, but the reconcile that wrote it already decided what follows. It is that only while
   * the operator is the key's sole manager: another writer's change makes them a manager of the key
   * (an update takes the field over, an apply of data or stringData shares it), so a contest passes
   * as before; so does any change of the label, the owner annotation, or a deletion.
   */
  static boolean ownWrite(Secret now, Secret before) {
    var meta = now.getMetadata();
    String key =
        meta.getLabels() == null ? null : meta.getLabels().get(ApiConstants.MANAGED_KEY_LABEL);
    return key != null
        && meta.getDeletionTimestamp() == null
        && Objects.equals(meta.getLabels(), before.getMetadata().getLabels())
        && Objects.equals(meta.getAnnotations(), before.getMetadata().getAnnotations())
        && KeyWriters.managers(now, key).equals(Set.of(ApiConstants.FIELD_MANAGER));
  }

  /** Whether {@code cm} restarts workload {@code w}, by name or by label selector. */
  static boolean restarts(CacheMode cm, HasMetadata w) {
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
}
