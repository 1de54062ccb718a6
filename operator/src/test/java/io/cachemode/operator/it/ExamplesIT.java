package io.cachemode.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachemode.operator.testing.ControlPlaneExtension;
import io.cachemode.operator.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The examples cannot rot: every invalid one is refused with its stated message, every other one is
 * accepted. The two apps of the demo converge in {@code demo.IncidentDemoIT}.
 */
@ExtendWith(ControlPlaneExtension.class)
class ExamplesIT {
  private static final Path EXAMPLES = Path.of("..", "examples");

  @TestFactory
  Stream<DynamicTest> invalidExamplesAreRejectedByTheApiServer(
      KubernetesClient client, TestNamespace ns) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(EXAMPLES.resolve("invalid"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(8);
    return files.stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f.getFileName().toString(),
                    () -> {
                      String yaml = Files.readString(f);
                      String expected =
                          yaml.lines().findFirst().orElseThrow().replaceFirst("^# expect: ", "");
                      // Sent untyped so a string suspend is not coerced to a boolean on the client
                      // side.
                      var raw = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
                      assertThatThrownBy(
                              () ->
                                  client
                                      .genericKubernetesResources(
                                          "cachemode.io/v1alpha1", "CacheMode")
                                      .inNamespace(ns.name())
                                      .resource(raw)
                                      .create())
                          .isInstanceOf(KubernetesClientException.class)
                          .hasMessageContaining(expected);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> everyOtherExampleIsAcceptedByTheApiServer(
      KubernetesClient client, TestNamespace ns) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(EXAMPLES)) {
      files =
          s.filter(p -> p.toString().endsWith(".yaml"))
              .filter(p -> !p.startsWith(EXAMPLES.resolve("invalid")))
              .filter(p -> !p.getFileName().toString().startsWith("00-namespace"))
              .sorted()
              .toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(6);
    return files.stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    EXAMPLES.relativize(f).toString(),
                    () -> {
                      try (InputStream in = Files.newInputStream(f)) {
                        for (HasMetadata o : client.load(in).items()) {
                          o.getMetadata().setNamespace(ns.name());
                          HasMetadata accepted = client.resource(o).dryRun().create();
                          assertThat(accepted.getMetadata().getName())
                              .isEqualTo(o.getMetadata().getName());
                        }
                      }
                    }));
  }
}
