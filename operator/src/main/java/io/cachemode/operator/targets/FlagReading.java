package io.cachemode.operator.targets;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a target can tell about the flag's stored value. Kubernetes reveals it; Fly.io never does
 * (its API lists a digest and an update time only), so there the value is known only when the
 * listing still matches the operator's own last write.
 *
 * @param value the raw stored value when {@code known}; empty for a missing key or an unknown
 *     value. Never log or record it.
 * @param known whether {@code value} is what the store holds
 * @param version the provider's record of the stored secret (digest, update time, version), when it
 *     keeps one
 * @param note why the value is unknown or where its knowledge comes from, for status; never a value
 * @param writer who last wrote the key and when, where the store records it (Kubernetes
 *     managedFields)
 */
public record FlagReading(
    Optional<String> value,
    boolean known,
    Optional<SecretVersion> version,
    Optional<String> note,
    Optional<Writer> writer) {

  /** A field manager and the time of its last write of the key. */
  public record Writer(String fieldManager, Instant at) {}

  public FlagReading {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(note, "note");
    Objects.requireNonNull(writer, "writer");
    if (!known && value.isPresent()) {
      throw new IllegalArgumentException("an unknown reading carries no value");
    }
  }

  /** A value read directly (or a missing key, when {@code raw} is empty). */
  public static FlagReading of(Optional<String> raw) {
    return new FlagReading(raw, true, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** A value the store will not reveal. */
  public static FlagReading unknown(SecretVersion version, String note) {
    return new FlagReading(
        Optional.empty(), false, Optional.of(version), Optional.of(note), Optional.empty());
  }

  /** A value known because the store still holds exactly what the operator wrote. */
  public static FlagReading ownWrite(String canonicalValue, SecretVersion version, String note) {
    return new FlagReading(
        Optional.of(canonicalValue),
        true,
        Optional.of(version),
        Optional.of(note),
        Optional.empty());
  }

  /** This reading, with who last wrote the key. */
  public FlagReading by(Writer w) {
    return new FlagReading(value, known, version, note, Optional.of(w));
  }
}
