package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A stored flag value described without revealing it. */
public class ValueReading {

  @JsonPropertyDescription(
      "Canonical (exactly true/false), NonCanonicalBoolean (e.g. TRUE, 1, yes), DigestLike (a hex/base64 hash such as fa61a13817d73a23), NonBoolean, Empty, Missing, or Unknown (the store, e.g. Fly.io, does not reveal values).")
  private ValueState state;

  @JsonPropertyDescription(
      "What the app would read under spec.parseRule (false for a missing value).")
  private Boolean effectiveSuspend;

  @JsonPropertyDescription(
      "Salted hash of the stored value, to tell values apart without revealing them.")
  private String valueHash;

  @JsonPropertyDescription("When the value was read (RFC 3339).")
  private String observedAt;

  @JsonPropertyDescription(
      "Fly.io: the digest Fly lists for the secret (Fly never returns values; a digest cannot be"
          + " mapped back to one).")
  private String digest;

  @JsonPropertyDescription("Fly.io: when Fly says the secret last changed (RFC 3339).")
  private String updatedAt;

  @JsonPropertyDescription(
      "Where knowledge of the value comes from, or why it is unknown; never the value.")
  private String note;

  public ValueState getState() {
    return state;
  }

  public void setState(ValueState state) {
    this.state = state;
  }

  public Boolean getEffectiveSuspend() {
    return effectiveSuspend;
  }

  public void setEffectiveSuspend(Boolean effectiveSuspend) {
    this.effectiveSuspend = effectiveSuspend;
  }

  public String getValueHash() {
    return valueHash;
  }

  public void setValueHash(String valueHash) {
    this.valueHash = valueHash;
  }

  public String getObservedAt() {
    return observedAt;
  }

  public void setObservedAt(String observedAt) {
    this.observedAt = observedAt;
  }

  public String getDigest() {
    return digest;
  }

  public void setDigest(String digest) {
    this.digest = digest;
  }

  public String getUpdatedAt() {
    return updatedAt;
  }

  public void setUpdatedAt(String updatedAt) {
    this.updatedAt = updatedAt;
  }

  public String getNote() {
    return note;
  }

  public void setNote(String note) {
    this.note = note;
  }
}
