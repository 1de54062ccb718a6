package io.cachemode.operator.targets.fly;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.targets.FlagReading;
import io.cachemode.operator.targets.SecretVersion;
import io.cachemode.operator.targets.WriteReceipt;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretReadingsTest {
  static final String KEY = "SUSPEND_REDIS";
  static final String AT = "2026-11-29T03:00:00Z";
  static final WriteReceipt WRITE =
      new WriteReceipt(
          "true", AT, new SecretVersion("92d2791e3f7ebd71", "2026-11-29T03:00:01Z", 12L));

  static FlagReading read(FlySecret listed, WriteReceipt lastWrite) {
    return SecretReadings.read(KEY, Optional.ofNullable(listed), Optional.ofNullable(lastWrite));
  }

  static FlySecret listed(String digest, String updatedAt) {
    return new FlySecret(KEY, digest, updatedAt, "2026-11-01T00:00:00Z");
  }

  @Test
  void anAbsentKeyIsMissing() {
    assertThat(read(null, null)).isEqualTo(FlagReading.of(Optional.empty()));
  }

  @Test
  void anAbsentKeyAfterAWriteWasDeleted() {
    FlagReading r = read(null, WRITE);
    assertThat(r.known()).isTrue();
    assertThat(r.value()).isEmpty();
    assertThat(r.note())
        .contains("deleted after the operator's write at " + AT + ": Fly no longer lists " + KEY);
  }

  @Test
  void aKeyNeverWrittenByTheOperatorIsUnknown() {
    FlagReading r = read(listed("fa61a13817d73a23", "2026-11-28T10:00:00Z"), null);
    assertThat(r.known()).isFalse();
    assertThat(r.version())
        .contains(new SecretVersion("fa61a13817d73a23", "2026-11-28T10:00:00Z", null));
    assertThat(r.note())
        .contains(
            "Fly does not reveal secret values; the operator has not written this one (Fly lists"
                + " digest fa61a13817d73a23, updated_at 2026-11-28T10:00:00Z)");
  }

  @Test
  void theListingOfTheOwnWriteGivesTheValue() {
    FlagReading r = read(listed("92d2791e3f7ebd71", "2026-11-29T03:00:01Z"), WRITE);
    assertThat(r)
        .isEqualTo(
            FlagReading.ownWrite(
                "true",
                new SecretVersion("92d2791e3f7ebd71", "2026-11-29T03:00:01Z", 12L),
                "known from the operator's own write at "
                    + AT
                    + ": Fly still lists the digest and updated_at recorded right after it"));
  }

  @Test
  void anotherSpellingOfTheSameMomentIsNoChange() {
    assertThat(read(listed("92d2791e3f7ebd71", "2026-11-29T03:00:01.000+00:00"), WRITE).known())
        .isTrue();
  }

  @Test
  void aDifferentDigestAndTimeIsAChangeBySomeoneElse() {
    FlagReading r = read(listed("73eb694e9d599c38", "2026-11-29T04:00:00Z"), WRITE);
    assertThat(r.known()).isFalse();
    assertThat(r.version())
        .contains(new SecretVersion("73eb694e9d599c38", "2026-11-29T04:00:00Z", null));
    assertThat(r.note())
        .contains(
            "changed after the operator's write at "
                + AT
                + ": Fly lists updated_at 2026-11-29T04:00:00Z (right after the write:"
                + " 2026-11-29T03:00:01Z), a different digest 73eb694e9d599c38 (was"
                + " 92d2791e3f7ebd71); Fly does not record who changed it");
  }

  @Test
  void aNewerTimeWithTheSameDigestIsStillAChange() {
    FlagReading r = read(listed("92d2791e3f7ebd71", "2026-11-29T04:00:00Z"), WRITE);
    assertThat(r.known()).isFalse();
    assertThat(r.note())
        .hasValueSatisfying(
            n ->
                assertThat(n)
                    .contains("the same digest, so probably rewritten with the same value"));
  }

  @Test
  void aDifferentDigestAloneIsAChange() {
    WriteReceipt digestOnly =
        new WriteReceipt("true", AT, new SecretVersion("92d2791e3f7ebd71", null, 12L));
    assertThat(read(listed("73eb694e9d599c38", "2026-11-29T03:00:01Z"), digestOnly).known())
        .isFalse();
    assertThat(read(listed("92d2791e3f7ebd71", "2026-11-29T09:00:00Z"), digestOnly).known())
        .as("no recorded time, so only the digest is compared")
        .isTrue();
  }

  @Test
  void aWriteFlyListedNothingForCannotBeRecognised() {
    WriteReceipt blind = new WriteReceipt("true", AT, new SecretVersion(null, null, 12L));
    FlagReading r = read(listed("92d2791e3f7ebd71", "2026-11-29T03:00:01Z"), blind);
    assertThat(r.known()).isFalse();
    assertThat(r.note())
        .contains(
            "the operator wrote it at "
                + AT
                + ", but Fly listed no digest or updated_at for it afterwards, so its own write"
                + " cannot be recognised");
  }
}
