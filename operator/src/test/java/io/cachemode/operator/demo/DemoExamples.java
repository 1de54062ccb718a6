package io.cachemode.operator.demo;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The demo's two apps from {@code examples/}, with this run's ports in place of the examples'
 * placeholders, as {@code testenv/demo.sh} renders them, applied into a test namespace.
 */
final class DemoExamples {
  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

  private DemoExamples() {}

  /** {@code examples/<app>/<file>} with the Redis and health ports of this run. */
  static String render(String app, String file, int redisPort, String healthUrl)
      throws IOException {
    return Files.readString(EXAMPLES.resolve(app).resolve(file))
        .replaceAll("redis://127\\.0\\.0\\.1:6379", "redis://127.0.0.1:" + redisPort)
        .replaceAll("http://127\\.0\\.0\\.1:1808[0-9]/api/health", healthUrl);
  }

  /**
   * Server-side applies every object of a rendered file into {@code namespace}, skipping the
   * Namespace itself. Untyped, so fields the CRD model of this build lacks reach the API server as
   * written.
   */
  static void apply(KubernetesClient client, String namespace, String yaml) {
    for (String doc : DOCUMENT_SEPARATOR.split(yaml)) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
        continue;
      }
      GenericKubernetesResource r =
          client.getKubernetesSerialization().unmarshal(doc, GenericKubernetesResource.class);
      if ("Namespace".equals(r.getKind())) {
        continue;
      }
      r.getMetadata().setNamespace(namespace);
      client
          .genericKubernetesResources(r.getApiVersion(), r.getKind())
          .inNamespace(namespace)
          .resource(r)
          .fieldManager("cachemode-tests")
          .forceConflicts()
          .serverSideApply();
    }
  }

  /** Renders and applies the app's Secrets and Deployment (files 00 to 02). */
  static void applyApp(
      KubernetesClient client, String namespace, String app, int redisPort, String healthUrl)
      throws IOException {
    for (String file : new String[] {"00-namespace.yaml", "01-secret.yaml", "02-deployment.yaml"}) {
      apply(client, namespace, render(app, file, redisPort, healthUrl));
    }
  }
}
