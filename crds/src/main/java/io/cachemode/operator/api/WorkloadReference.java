package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A workload in the CacheMode's namespace. */
public class WorkloadReference {

  @Required
  @JsonPropertyDescription("Deployment or StatefulSet.")
  private WorkloadKind kind;

  @Required
  @Pattern(Bounds.OBJECT_NAME_PATTERN)
  @Size(max = Bounds.NAME)
  @JsonPropertyDescription("Name of the workload in the CacheMode's namespace.")
  private String name;

  public WorkloadReference() {}

  public WorkloadReference(WorkloadKind kind, String name) {
    this.kind = kind;
    this.name = name;
  }

  public WorkloadKind getKind() {
    return kind;
  }

  public void setKind(WorkloadKind kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
