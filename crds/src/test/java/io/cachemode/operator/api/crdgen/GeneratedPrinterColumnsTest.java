package io.cachemode.operator.api.crdgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.CacheMode;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CRD the build generated lists the printer columns as CacheMode declares them. */
class GeneratedPrinterColumnsTest {
  private static List<CustomResourceColumnDefinition> columns;

  @BeforeAll
  static void readGeneratedCrd() throws IOException {
    Path generated = Path.of("target/classes/META-INF/fabric8/cachemodes.cachemode.io-v1.yml");
    try (InputStream in = Files.newInputStream(generated)) {
      CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
      assertThat(crd.getSpec().getVersions()).hasSize(1);
      columns = crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns();
    }
  }

  @Test
  void columnsAreInDeclarationOrder() {
    List<AdditionalPrinterColumn> declared =
        Arrays.asList(CacheMode.class.getAnnotationsByType(AdditionalPrinterColumn.class));

    assertThat(columns)
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactlyElementsOf(declared.stream().map(AdditionalPrinterColumn::name).toList());
    assertThat(columns)
        .extracting(CustomResourceColumnDefinition::getJsonPath)
        .containsExactlyElementsOf(
            declared.stream().map(AdditionalPrinterColumn::jsonPath).toList());
  }

  @Test
  void defaultViewShowsTheIssueOrderAndWideAddsReadyAndHealth() {
    assertThat(columns)
        .filteredOn(c -> c.getPriority() == 0)
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Suspend", "Phase", "Verified", "GET/min Before", "GET/min After", "Age");
    assertThat(columns)
        .filteredOn(c -> c.getPriority() == 1)
        .extracting(CustomResourceColumnDefinition::getName)
        .containsExactly("Ready", "Health");
  }
}
