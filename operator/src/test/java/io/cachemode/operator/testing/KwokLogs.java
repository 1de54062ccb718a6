package io.cachemode.operator.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Gives a pod on the kwok node a container log, by the testenv convention (testenv/README.md): the
 * log is a file in the CRI format ({@code <RFC 3339 nano> stdout F <line>}), and a kwok {@code
 * Logs} object named after the pod, in its namespace, points at it. kwok then serves it on the
 * node's kubelet port, and the API server's {@code pods/log} returns it. kwok reads the file
 * itself, so it must be on the machine kwok runs on.
 */
public final class KwokLogs {

  private KwokLogs() {}

  /** One log line and when it was written. */
  public record Line(Instant at, String text) {}

  /**
   * Writes {@code lines} to {@code dir/<namespace>_<pod>.log} and creates (or replaces) the Logs
   * object for every container of the pod.
   */
  public static Path serve(
      KubernetesClient client, String namespace, String pod, Path dir, List<Line> lines)
      throws IOException {
    StringBuilder cri = new StringBuilder();
    for (Line line : lines) {
      cri.append(line.at()).append(" stdout F ").append(line.text()).append('\n');
    }
    Path file = dir.resolve(namespace + "_" + pod + ".log");
    Files.writeString(file, cri);
    GenericKubernetesResource logs =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("kwok.x-k8s.io/v1alpha1")
            .withKind("Logs")
            .withNewMetadata()
            .withName(pod)
            .withNamespace(namespace)
            .endMetadata()
            .addToAdditionalProperties(
                "spec",
                Map.of("logs", List.of(Map.of("logsFile", file.toAbsolutePath().toString()))))
            .build();
    client
        .genericKubernetesResources("kwok.x-k8s.io/v1alpha1", "Logs")
        .inNamespace(namespace)
        .resource(logs)
        .createOr(existing -> existing.update());
    return file;
  }
}
