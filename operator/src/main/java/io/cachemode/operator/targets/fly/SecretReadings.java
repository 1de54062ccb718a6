package io.cachemode.operator.targets.fly;

import io.cachemode.operator.targets.FlagReading;
import io.cachemode.operator.targets.SecretVersion;
import io.cachemode.operator.targets.WriteReceipt;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the flag holds, told from what Fly lists (a digest and {@code updated_at}, never a value)
 * and the operator's own last write as recorded in status. Pure.
 *
 * <p>Fly's digest cannot be mapped back to a value (its algorithm is not published), so the value
 * is known only while the listing still matches what Fly listed right after the operator's write.
 * Anything else is unknown: a key the operator never wrote, or one changed since (a different
 * digest or another {@code updated_at}). Fly does not record who changed a secret, only when.
 */
final class SecretReadings {
  private SecretReadings() {}

  static FlagReading read(
      String key, Optional<FlySecret> listed, Optional<WriteReceipt> lastWrite) {
    if (listed.isEmpty()) {
      return lastWrite
          .map(
              w ->
                  new FlagReading(
                      Optional.<String>empty(),
                      true,
                      Optional.<SecretVersion>empty(),
                      Optional.of(
                          "deleted after the operator's write at "
                              + w.writtenAt()
                              + ": Fly no longer lists "
                              + key),
                      Optional.<FlagReading.Writer>empty()))
          .orElseGet(() -> FlagReading.of(Optional.empty()));
    }
    FlySecret s = listed.get();
    SecretVersion seen = new SecretVersion(s.digest(), s.updatedAt(), null);
    if (lastWrite.isEmpty()) {
      return FlagReading.unknown(
          seen,
          "Fly does not reveal secret values; the operator has not written this one (Fly lists"
              + listing(s)
              + ")");
    }
    WriteReceipt w = lastWrite.get();
    SecretVersion recorded = w.version();
    if (recorded.digest() == null && recorded.updatedAt() == null) {
      return FlagReading.unknown(
          seen,
          "the operator wrote it at "
              + w.writtenAt()
              + ", but Fly listed no digest or updated_at for it afterwards, so its own write"
              + " cannot be recognised");
    }
    List<String> changes = new ArrayList<>();
    if (recorded.updatedAt() != null && !sameTime(recorded.updatedAt(), s.updatedAt())) {
      changes.add(
          "Fly lists updated_at "
              + s.updatedAt()
              + " (right after the write: "
              + recorded.updatedAt()
              + ")");
    }
    if (recorded.digest() != null && !recorded.digest().equals(s.digest())) {
      changes.add("a different digest " + s.digest() + " (was " + recorded.digest() + ")");
    } else if (!changes.isEmpty()) {
      changes.add("the same digest, so probably rewritten with the same value");
    }
    if (changes.isEmpty()) {
      return FlagReading.ownWrite(
          w.value(),
          new SecretVersion(s.digest(), s.updatedAt(), recorded.secretsVersion()),
          "known from the operator's own write at "
              + w.writtenAt()
              + ": Fly still lists the digest and updated_at recorded right after it");
    }
    return FlagReading.unknown(
        seen,
        "changed after the operator's write at "
            + w.writtenAt()
            + ": "
            + String.join(", ", changes)
            + "; Fly does not record who changed it");
  }

  private static String listing(FlySecret s) {
    return (s.digest() == null ? " no digest" : " digest " + s.digest())
        + (s.updatedAt() == null ? "" : ", updated_at " + s.updatedAt());
  }

  /** RFC 3339 times compared as instants, so a different spelling of one moment is no change. */
  private static boolean sameTime(String a, String b) {
    if (b == null) {
      return false;
    }
    try {
      return Instant.parse(a).equals(Instant.parse(b));
    } catch (DateTimeParseException e) {
      return Objects.equals(a, b);
    }
  }
}
