package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A flag stored in a Secret and the workloads that must restart to read it. */
@ValidationRule(
    value =
        "(has(self.workloads) && size(self.workloads) > 0)"
            + " || (has(self.workloadSelector) && size(self.workloadSelector) > 0)",
    message =
        "name at least one workload in spec.target.kubernetes.workloads or a workloadSelector")
public class KubernetesTargetSpec {

  @Required
  @JsonPropertyDescription("The Secret key that holds the flag.")
  private FlagSecretRef secretRef;

  @Size(max = Bounds.WORKLOADS)
  @JsonPropertyDescription(
      "Workloads in this namespace restarted after the flag changes, at most 50.")
  private List<WorkloadReference> workloads = new ArrayList<>();

  @Size(max = Bounds.SELECTOR_LABELS)
  @ValidationRule(
      value = "self.all(k, size(k) <= 317 && size(self[k]) <= 63)",
      message = "label keys are at most 317 characters (prefix/name) and values at most 63")
  @JsonPropertyDescription(
      "Labels selecting more Deployments and StatefulSets in this namespace to restart (matchLabels"
          + " semantics), at most 16.")
  private Map<String, String> workloadSelector = Map.of();

  public FlagSecretRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(FlagSecretRef secretRef) {
    this.secretRef = secretRef;
  }

  public List<WorkloadReference> getWorkloads() {
    return workloads;
  }

  public void setWorkloads(List<WorkloadReference> workloads) {
    this.workloads = workloads;
  }

  public Map<String, String> getWorkloadSelector() {
    return workloadSelector;
  }

  public void setWorkloadSelector(Map<String, String> workloadSelector) {
    this.workloadSelector = workloadSelector;
  }
}
