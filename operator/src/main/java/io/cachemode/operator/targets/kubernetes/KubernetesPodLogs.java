package io.cachemode.operator.targets.kubernetes;

import io.cachemode.operator.api.WorkloadKind;
import io.cachemode.operator.api.WorkloadReference;
import io.cachemode.operator.verify.PodLogs;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * {@link PodLogs} through the API server: workloads are read ({@code get}), their pods listed by
 * the workload's selector ({@code pods list}) and logs read through {@code pods/log} ({@code get}),
 * which the API server forwards to the node's kubelet. Each call is one or two requests; the
 * client's request timeout bounds them.
 */
public final class KubernetesPodLogs implements PodLogs {

  private final KubernetesClient client;

  public KubernetesPodLogs(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Listing currentPods(String namespace, WorkloadReference workload) {
    String name = workload.getName();
    try {
      CurrentRevisionPods.Selection selection;
      if (workload.getKind() == WorkloadKind.StatefulSet) {
        StatefulSet s = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
        if (s == null) {
          return notFound(workload);
        }
        String revision = s.getStatus() == null ? null : s.getStatus().getUpdateRevision();
        selection =
            CurrentRevisionPods.ofStatefulSet(revision, pods(namespace, s.getSpec().getSelector()));
      } else {
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
        if (d == null) {
          return notFound(workload);
        }
        PodTemplateSpec template = d.getSpec().getTemplate();
        selection =
            CurrentRevisionPods.ofDeployment(template, pods(namespace, d.getSpec().getSelector()));
      }
      return new Pods(
          selection.revision().orElse(""),
          selection.pods().stream().map(CurrentRevisionPods::describe).toList());
    } catch (KubernetesClientException e) {
      return new ListingFailed(failure(e, workload.getKind() + "/" + name + " or its pods"));
    }
  }

  @Override
  public Read read(String namespace, String pod, String container, Instant since, int maxBytes) {
    try {
      String text =
          client
              .pods()
              .inNamespace(namespace)
              .withName(pod)
              .inContainer(container)
              .usingTimestamps()
              .limitBytes(maxBytes)
              .sinceTime(since.toString())
              .getLog();
      String log = text == null ? "" : text;
      return new Text(log, log.getBytes(StandardCharsets.UTF_8).length >= maxBytes);
    } catch (KubernetesClientException e) {
      return new ReadFailed(failure(e, "the log of pod " + pod + " container " + container));
    }
  }

  // Fully qualified: PodLogs.Pod is in scope here.
  private List<io.fabric8.kubernetes.api.model.Pod> pods(String namespace, LabelSelector selector) {
    return client.pods().inNamespace(namespace).withLabelSelector(selector).list().getItems();
  }

  private static Listing notFound(WorkloadReference workload) {
    return new ListingFailed(
        new Failure(
            FailureKind.NotFound, workload.getKind() + " " + workload.getName() + " not found"));
  }

  /**
   * The API server's own message names objects and reasons ("container app is waiting to start"),
   * never log content.
   */
  private static Failure failure(KubernetesClientException e, String what) {
    String reason =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : String.valueOf(e.getMessage());
    FailureKind kind =
        switch (e.getCode()) {
          case 401, 403 -> FailureKind.Unauthorized;
          case 404 -> FailureKind.NotFound;
          case 400 -> FailureKind.NoLogs;
          default -> FailureKind.Unreachable;
        };
    return new Failure(kind, what + ": " + abbreviate(reason));
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }
}
