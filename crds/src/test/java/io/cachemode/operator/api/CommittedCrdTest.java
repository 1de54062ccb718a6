package io.cachemode.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed CRD copies are what the Java model generates; "make crd" refreshes them. */
class CommittedCrdTest {
  private static final String FILE = "cachemodes.cachemode.io-v1.yml";

  @Test
  void committedCrdMatchesTheModel() throws IOException {
    String generated = Files.readString(Path.of("target/classes/META-INF/fabric8", FILE));
    assertThat(Files.readString(Path.of(FILE)))
        .as("crds/%s is stale: run `make crd` and commit the result", FILE)
        .isEqualTo(generated);
    Path chartCopy = Path.of("../charts/cachemode-operator/crds", FILE);
    assertThat(Files.readString(chartCopy))
        .as("%s is stale: run `make crd` and commit the result", chartCopy)
        .isEqualTo(generated);
  }
}
