package io.cachemode.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The operator's last write of the flag, as the store recorded it. On Fly.io, which never reveals
 * secret values, this record is how the operator tells its own write from someone else's later
 * change, and which secrets version the machines must boot with.
 */
public class WriteRecord {

  @JsonPropertyDescription("The canonical value written: true or false.")
  private String value;

  @JsonPropertyDescription("When the operator wrote it (RFC 3339).")
  private String writtenAt;

  @JsonPropertyDescription("Fly.io: the digest Fly lists for the secret after the write.")
  private String digest;

  @JsonPropertyDescription("Fly.io: the secret's updated_at as Fly lists it after the write.")
  private String updatedAt;

  @JsonPropertyDescription(
      "Fly.io: the app's secrets version returned by the write; every machine updated for this"
          + " change is sent min_secrets_version at least this.")
  private Long secretsVersion;

  public String getValue() {
    return value;
  }

  public void setValue(String value) {
    this.value = value;
  }

  public String getWrittenAt() {
    return writtenAt;
  }

  public void setWrittenAt(String writtenAt) {
    this.writtenAt = writtenAt;
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

  public Long getSecretsVersion() {
    return secretsVersion;
  }

  public void setSecretsVersion(Long secretsVersion) {
    this.secretsVersion = secretsVersion;
  }
}
