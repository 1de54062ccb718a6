package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where the flag lives and what it held. */
public class SecretStatus {

  @JsonPropertyDescription("The Secret (or Fly app) holding the flag.")
  private String name;

  @JsonPropertyDescription("The flag's key.")
  private String key;

  @JsonPropertyDescription("The value found before the operator's last write.")
  private ValueReading before;

  @JsonPropertyDescription("The value found at the last reconcile.")
  private ValueReading current;

  @JsonPropertyDescription("The operator's last write of the flag and what the store recorded.")
  private WriteRecord lastWrite;

  @JsonPropertyDescription(
      "When the operator last rewrote the key after someone else changed it (RFC 3339).")
  private String lastRepairAt;

  @JsonPropertyDescription(
      "Set while another writer keeps reverting the key: the operator does not rewrite it "
          + "then (no write loop with a GitOps controller), and says who.")
  private ContestStatus contest;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public ValueReading getBefore() {
    return before;
  }

  public void setBefore(ValueReading before) {
    this.before = before;
  }

  public ValueReading getCurrent() {
    return current;
  }

  public void setCurrent(ValueReading current) {
    this.current = current;
  }

  public WriteRecord getLastWrite() {
    return lastWrite;
  }

  public void setLastWrite(WriteRecord lastWrite) {
    this.lastWrite = lastWrite;
  }

  public String getLastRepairAt() {
    return lastRepairAt;
  }

  public void setLastRepairAt(String lastRepairAt) {
    this.lastRepairAt = lastRepairAt;
  }

  public ContestStatus getContest() {
    return contest;
  }

  public void setContest(ContestStatus contest) {
    this.contest = contest;
  }
}
