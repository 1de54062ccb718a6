package io.cachemode.operator.api.crdgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachemode.operator.api.CacheMode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrinterColumnOrderTest {
  private static final PrinterColumnOrder ORDER =
      new PrinterColumnOrder(List.of(".spec.b", ".status.a", ".metadata.c"));

  @Test
  void shuffledColumnsComeOutInDeclarationOrderInEveryVersion() {
    CustomResourceDefinition crd =
        new CustomResourceDefinitionBuilder()
            .withNewSpec()
            .addNewVersion()
            .withName("v1")
            .withAdditionalPrinterColumns(
                column(".metadata.c"), column(".spec.b"), column(".status.a"))
            .endVersion()
            .addNewVersion()
            .withName("v2")
            .withAdditionalPrinterColumns(
                column(".status.a"), column(".metadata.c"), column(".spec.b"))
            .endVersion()
            .endSpec()
            .build();

    ORDER.process(crd, "v1");

    assertThat(crd.getSpec().getVersions())
        .allSatisfy(
            v ->
                assertThat(v.getAdditionalPrinterColumns())
                    .extracting(CustomResourceColumnDefinition::getJsonPath)
                    .containsExactly(".spec.b", ".status.a", ".metadata.c"));
  }

  @Test
  void undeclaredColumnsFollowTheDeclaredOnesInTheirOriginalOrder() {
    List<CustomResourceColumnDefinition> ordered =
        ORDER.ordered(
            List.of(
                column(".x"),
                column(".metadata.c"),
                column(".w"),
                column(".status.a"),
                column(".spec.b")));

    assertThat(ordered)
        .extracting(CustomResourceColumnDefinition::getJsonPath)
        .containsExactly(".spec.b", ".status.a", ".metadata.c", ".x", ".w");
  }

  @Test
  void aVersionWithoutColumnsIsLeftAlone() {
    CustomResourceDefinition crd =
        new CustomResourceDefinitionBuilder()
            .withNewSpec()
            .addNewVersion()
            .withName("v1")
            .endVersion()
            .endSpec()
            .build();

    ORDER.process(crd, "v1");

    assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns()).isEmpty();
  }

  @Test
  void refusesWhatIsNotAV1Crd() {
    assertThatThrownBy(() -> ORDER.process(new GenericKubernetesResource(), "v1beta1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("v1beta1");
  }

  @Test
  void readsTheAnnotationsOfCacheModeInSourceOrder() {
    List<CustomResourceColumnDefinition> ordered =
        PrinterColumnOrder.declaredOn(CacheMode.class)
            .ordered(
                List.of(
                    column(".status.health"),
                    column(".metadata.creationTimestamp"),
                    column(".spec.suspend"),
                    column(".status.phase")));

    assertThat(ordered)
        .extracting(CustomResourceColumnDefinition::getJsonPath)
        .containsExactly(
            ".spec.suspend", ".status.phase", ".metadata.creationTimestamp", ".status.health");
  }

  private static CustomResourceColumnDefinition column(String jsonPath) {
    CustomResourceColumnDefinition column = new CustomResourceColumnDefinition();
    column.setJsonPath(jsonPath);
    column.setName(jsonPath);
    column.setType("string");
    return column;
  }
}
