package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the flag lives: a Kubernetes Secret read by workloads, or a Fly.io app's secrets. */
@ValidationRule(
    value = "has(self.kubernetes) != has(self.fly)",
    message = "exactly one of spec.target.kubernetes or spec.target.fly must be set")
public class TargetSpec {

  @JsonPropertyDescription(
      "A key of a Secret in this namespace, and the Deployments/StatefulSets that read it.")
  private KubernetesTargetSpec kubernetes;

  @JsonPropertyDescription(
      "A Fly.io app: the flag is an app secret; machines are updated to pick it up.")
  private FlyTargetSpec fly;

  public KubernetesTargetSpec getKubernetes() {
    return kubernetes;
  }

  public void setKubernetes(KubernetesTargetSpec kubernetes) {
    this.kubernetes = kubernetes;
  }

  public FlyTargetSpec getFly() {
    return fly;
  }

  public void setFly(FlyTargetSpec fly) {
    this.fly = fly;
  }
}
