package io.cachemode.operator.flag;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.ParseRule;
import io.cachemode.operator.api.ValueState;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FlagValuesTest {

  @ParameterizedTest(name = "[{0}] is {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "true|Canonical",
        "false|Canonical",
        "TRUE|NonCanonicalBoolean",
        "' true'|NonCanonicalBoolean",
        "'true\n'|NonCanonicalBoolean",
        "False|NonCanonicalBoolean",
        "1|NonCanonicalBoolean",
        "0|NonCanonicalBoolean",
        "yes|NonCanonicalBoolean",
        "no|NonCanonicalBoolean",
        "on|NonCanonicalBoolean",
        "OFF|NonCanonicalBoolean",
        "fa61a13817d73a23|DigestLike",
        "92d2791e3f7ebd71|DigestLike",
        "912ec803b2ce49e4a541068d495ab570|DigestLike",
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855|DigestLike",
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=|DigestLike",
        "X03MO1qnZdYdgyfeuILPmQ==|DigestLike",
        "suspended|NonBoolean",
        "enabled|NonBoolean",
        "deadbeefdeadbeef|NonBoolean",
        "1234567890123456|NonBoolean",
        "''|Empty",
        "'   '|Empty"
      })
  void classifiesStoredValues(String raw, ValueState expected) {
    assertThat(FlagValues.classify(Optional.of(raw))).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void absentKeyIsMissing() {
    assertThat(FlagValues.classify(Optional.empty())).isEqualTo(ValueState.Missing);
  }

  @ParameterizedTest(name = "{0} reads [{1}] as {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "TrimmedLowercaseTrue|true|true",
        "TrimmedLowercaseTrue|' TRUE '|true",
        "TrimmedLowercaseTrue|fa61a13817d73a23|false",
        "TrimmedLowercaseTrue|1|false",
        "TrimmedLowercaseTrue|yes|false",
        "TrimmedLowercaseTrue|''|false",
        "ExactTrue|true|true",
        "ExactTrue|True|false",
        "ExactTrue|' true'|false",
        "Truthy|1|true",
        "Truthy|' Yes '|true",
        "Truthy|on|true",
        "Truthy|t|true",
        "Truthy|0|false",
        "Truthy|fa61a13817d73a23|false",
        "NonEmpty|fa61a13817d73a23|true",
        "NonEmpty|false|true",
        "NonEmpty|''|false"
      })
  void appliesTheAppsParseRule(ParseRule rule, String raw, boolean expected) {
    assertThat(FlagValues.effectiveSuspend(rule, Optional.of(raw))).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"TrimmedLowercaseTrue", "ExactTrue", "Truthy", "NonEmpty"})
  void missingKeyReadsAsActiveUnderEveryRule(ParseRule rule) {
    assertThat(FlagValues.effectiveSuspend(rule, Optional.empty())).isFalse();
  }

  @org.junit.jupiter.api.Test
  void canonicalValuesAreTheOnlyOnesWritten() {
    assertThat(FlagValues.canonical(true)).isEqualTo("true");
    assertThat(FlagValues.canonical(false)).isEqualTo("false");
  }

  @org.junit.jupiter.api.Test
  void descriptionSaysHowTheAppReadsItWithoutTheValue() {
    String text = FlagValues.describe(ValueState.DigestLike, ParseRule.TrimmedLowercaseTrue, false);
    assertThat(text).contains("digest").contains("suspend=false").contains("Redis active");
  }

  @org.junit.jupiter.api.Test
  void hashesAreStableShortAndDistinct() {
    String t = FlagHashes.flagHash("Secret atom/env#SUSPEND_REDIS", "true");
    assertThat(t)
        .hasSize(16)
        .isEqualTo(FlagHashes.flagHash("Secret atom/env#SUSPEND_REDIS", "true"));
    assertThat(t).isNotEqualTo(FlagHashes.flagHash("Secret atom/env#SUSPEND_REDIS", "false"));
    assertThat(FlagHashes.valueHash("uid-1", "fa61a13817d73a23"))
        .hasSize(16)
        .doesNotContain("fa61a138")
        .isNotEqualTo(FlagHashes.valueHash("uid-2", "fa61a13817d73a23"));
  }
}
