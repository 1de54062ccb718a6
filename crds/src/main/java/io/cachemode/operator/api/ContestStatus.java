package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Another writer keeps rewriting the managed key; the operator has stopped rewriting it. */
public class ContestStatus {

  @JsonPropertyDescription(
      "The field manager that rewrote the key (from the Secret's managedFields).")
  private String fieldManager;

  @JsonPropertyDescription("When it last wrote the key (RFC 3339).")
  private String writtenAt;

  @JsonPropertyDescription("When the operator last repaired the key before that write (RFC 3339).")
  private String repairedAt;

  @JsonPropertyDescription(
      "When the operator repairs once more if that writer has stopped by then (RFC 3339).")
  private String resumesAt;

  public String getFieldManager() {
    return fieldManager;
  }

  public void setFieldManager(String fieldManager) {
    this.fieldManager = fieldManager;
  }

  public String getWrittenAt() {
    return writtenAt;
  }

  public void setWrittenAt(String writtenAt) {
    this.writtenAt = writtenAt;
  }

  public String getRepairedAt() {
    return repairedAt;
  }

  public void setRepairedAt(String repairedAt) {
    this.repairedAt = repairedAt;
  }

  public String getResumesAt() {
    return resumesAt;
  }

  public void setResumesAt(String resumesAt) {
    this.resumesAt = resumesAt;
  }
}
