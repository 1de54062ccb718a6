package io.cachemode.operator.targets.kubernetes;

import io.cachemode.operator.verify.PodLogs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Picks the pods of a workload's current revision from the pods its selector matches. Pure: reads
 * only the objects it is given.
 *
 * <p>A Deployment's current ReplicaSet is found without reading ReplicaSets (the operator is not
 * granted them): the deployment controller labels each pod with its ReplicaSet's {@code
 * pod-template-hash}, and the current ReplicaSet is the one whose pods carry the Deployment's pod
 * template: its labels and annotations (a restart sets {@code kubectl.kubernetes.io/restartedAt}
 * and {@code cachemode.io/flag-hash} there) and each container's image. Should two ReplicaSets
 * still match (a template change in other fields only, mid-rollout), the one with the newest pod
 * wins. A StatefulSet names its update revision; its pods carry it as {@code
 * controller-revision-hash}.
 */
final class CurrentRevisionPods {

  static final String POD_TEMPLATE_HASH = "pod-template-hash";
  static final String CONTROLLER_REVISION_HASH = "controller-revision-hash";
  static final String DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

  private CurrentRevisionPods() {}

  /**
   * @param revision the pod-template-hash or update revision; empty when no pod is of it
   */
  record Selection(Optional<String> revision, List<Pod> pods) {}

  static Selection ofDeployment(PodTemplateSpec template, List<Pod> pods) {
    Map<String, List<Pod>> byHash =
        live(pods).stream()
            .filter(p -> label(p, POD_TEMPLATE_HASH) != null)
            .collect(Collectors.groupingBy(p -> label(p, POD_TEMPLATE_HASH)));
    return byHash.entrySet().stream()
        .filter(e -> e.getValue().stream().allMatch(p -> fromTemplate(p, template)))
        .max(Comparator.comparing(e -> newest(e.getValue())))
        .map(e -> new Selection(Optional.of(e.getKey()), sorted(e.getValue())))
        .orElse(new Selection(Optional.empty(), List.of()));
  }

  static Selection ofStatefulSet(String updateRevision, List<Pod> pods) {
    if (updateRevision == null) {
      return new Selection(Optional.empty(), List.of());
    }
    List<Pod> current =
        live(pods).stream()
            .filter(p -> updateRevision.equals(label(p, CONTROLLER_REVISION_HASH)))
            .toList();
    return new Selection(
        current.isEmpty() ? Optional.empty() : Optional.of(updateRevision), sorted(current));
  }

  /** The pod as {@link PodLogs} describes it: its containers and when each started. */
  static PodLogs.Pod describe(Pod pod) {
    List<Container> containers = pod.getSpec().getContainers();
    List<ContainerStatus> statuses =
        pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
            ? List.of()
            : pod.getStatus().getContainerStatuses();
    List<PodLogs.Container> described =
        containers.stream()
            .map(
                c ->
                    new PodLogs.Container(
                        c.getName(),
                        statuses.stream()
                            .filter(s -> c.getName().equals(s.getName()))
                            .findFirst()
                            .map(s -> startedAt(s.getState()))
                            .orElse(null)))
            .toList();
    String annotated = annotations(pod).get(DEFAULT_CONTAINER_ANNOTATION);
    String defaultContainer =
        annotated != null && containers.stream().anyMatch(c -> annotated.equals(c.getName()))
            ? annotated
            : containers.get(0).getName();
    return new PodLogs.Pod(pod.getMetadata().getName(), described, defaultContainer);
  }

  private static Instant startedAt(ContainerState state) {
    if (state == null) {
      return null;
    }
    String started = null;
    if (state.getRunning() != null) {
      started = state.getRunning().getStartedAt();
    } else if (state.getTerminated() != null) {
      started = state.getTerminated().getStartedAt();
    }
    return started == null ? null : Instant.parse(started);
  }

  private static boolean fromTemplate(Pod pod, PodTemplateSpec template) {
    Map<String, String> labels =
        template.getMetadata() == null ? null : template.getMetadata().getLabels();
    Map<String, String> annotations =
        template.getMetadata() == null ? null : template.getMetadata().getAnnotations();
    return contains(pod.getMetadata().getLabels(), labels)
        && contains(annotations(pod), annotations)
        && template.getSpec().getContainers().stream()
            .allMatch(
                t ->
                    pod.getSpec().getContainers().stream()
                        .anyMatch(
                            c ->
                                t.getName().equals(c.getName())
                                    && Objects.equals(t.getImage(), c.getImage())));
  }

  private static boolean contains(Map<String, String> actual, Map<String, String> expected) {
    if (expected == null || expected.isEmpty()) {
      return true;
    }
    Map<String, String> have = actual == null ? Map.of() : actual;
    return expected.entrySet().stream()
        .allMatch(e -> Objects.equals(have.get(e.getKey()), e.getValue()));
  }

  /** Pods that still run: neither terminating nor finished. */
  private static List<Pod> live(List<Pod> pods) {
    return pods.stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(
            p ->
                p.getStatus() == null
                    || !("Succeeded".equals(p.getStatus().getPhase())
                        || "Failed".equals(p.getStatus().getPhase())))
        .toList();
  }

  private static String newest(List<Pod> pods) {
    // RFC 3339 timestamps in UTC compare as strings.
    return pods.stream()
        .map(p -> Objects.requireNonNullElse(p.getMetadata().getCreationTimestamp(), ""))
        .max(Comparator.naturalOrder())
        .orElse("");
  }

  private static List<Pod> sorted(List<Pod> pods) {
    return pods.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
  }

  private static String label(Pod pod, String key) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }

  private static Map<String, String> annotations(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }
}
