package io.cachemode.operator.api.crdgen;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Puts a CRD's {@code additionalPrinterColumns} in the order their {@link AdditionalPrinterColumn}
 * annotations are declared, which is the order {@code kubectl get} shows them in. The Fabric8
 * generator keys the columns by JSON path in a sorted map and so loses that order
 * (fabric8io/kubernetes-client#7454); a {@link CRDPostProcessor} is its extension point for edits
 * to the generated CRD. Columns that are not declared on the class (for example from
 * {@code @PrinterColumn} on a field) keep the generator's order, after the declared ones.
 */
public final class PrinterColumnOrder implements CRDPostProcessor {
  private final List<String> jsonPaths;

  /** The order of the JSON paths given, first to last. */
  PrinterColumnOrder(List<String> jsonPaths) {
    this.jsonPaths = List.copyOf(jsonPaths);
  }

  /**
   * The declaration order of {@code resource}'s {@link AdditionalPrinterColumn} annotations
   * (repeated annotations are returned in source order).
   */
  public static PrinterColumnOrder declaredOn(Class<?> resource) {
    return new PrinterColumnOrder(
        Arrays.stream(resource.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::jsonPath)
            .toList());
  }

  @Override
  public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
    if (!(crd instanceof CustomResourceDefinition v1)) {
      throw new IllegalArgumentException(
          "printer columns are only ordered in apiextensions.k8s.io/v1 CRDs, not "
              + crdSpecVersion);
    }
    for (CustomResourceDefinitionVersion version : v1.getSpec().getVersions()) {
      if (version.getAdditionalPrinterColumns() != null) {
        version.setAdditionalPrinterColumns(ordered(version.getAdditionalPrinterColumns()));
      }
    }
    return crd;
  }

  /** {@code columns} sorted by declaration; the sort is stable, so undeclared ones keep order. */
  List<CustomResourceColumnDefinition> ordered(List<CustomResourceColumnDefinition> columns) {
    return columns.stream().sorted(Comparator.comparingInt(this::rank)).toList();
  }

  private int rank(CustomResourceColumnDefinition column) {
    int declared = jsonPaths.indexOf(column.getJsonPath());
    return declared < 0 ? jsonPaths.size() : declared;
  }
}
