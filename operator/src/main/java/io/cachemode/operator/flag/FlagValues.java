package io.cachemode.operator.flag;

import io.cachemode.operator.api.ParseRule;
import io.cachemode.operator.api.ValueState;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a stored flag string means: whether it is canonical, how an app reads it, and whether it
 * looks like a pasted digest. Pure functions; the raw value never leaves this class except as a
 * classification or a boolean.
 */
public final class FlagValues {
  public static final String TRUE = "true";
  public static final String FALSE = "false";

  private static final Set<String> BOOLEAN_WORDS =
      Set.of("true", "false", "1", "0", "yes", "no", "y", "n", "on", "off", "t", "f");
  private static final Set<String> TRUTHY_WORDS = Set.of("1", "t", "true", "y", "yes", "on");

  /**
   * Hex lengths of common digests: Fly's 16-hex secret digest, MD5, SHA-1, SHA-224, SHA-256,
   * SHA-384, SHA-512.
   */
  private static final Set<Integer> HEX_DIGEST_LENGTHS = Set.of(16, 32, 40, 56, 64, 96, 128);

  /**
   * Base64 (padded or not, standard or URL alphabet) lengths of MD5, SHA-1, SHA-256, SHA-384,
   * SHA-512.
   */
  private static final Set<Integer> BASE64_DIGEST_LENGTHS =
      Set.of(22, 24, 27, 28, 43, 44, 64, 86, 88);

  private static final Pattern ALGORITHM_PREFIX =
      Pattern.compile("^(sha1|sha224|sha256|sha384|sha512|md5)[:=-]", Pattern.CASE_INSENSITIVE);
  private static final Pattern HEX = Pattern.compile("^[0-9a-fA-F]+$");
  private static final Pattern BASE64 = Pattern.compile("^[A-Za-z0-9+/_-]+={0,2}$");

  private FlagValues() {}

  /** The only strings the operator ever writes. */
  public static String canonical(boolean suspend) {
    return suspend ? TRUE : FALSE;
  }

  /** Classifies a stored value; {@code Optional.empty()} means the key is absent. */
  public static ValueState classify(Optional<String> raw) {
    if (raw.isEmpty()) {
      return ValueState.Missing;
    }
    String value = raw.get();
    if (value.equals(TRUE) || value.equals(FALSE)) {
      return ValueState.Canonical;
    }
    String word = value.strip();
    if (word.isEmpty()) {
      return ValueState.Empty;
    }
    if (BOOLEAN_WORDS.contains(word.toLowerCase(Locale.ROOT))) {
      return ValueState.NonCanonicalBoolean;
    }
    if (isDigestLike(word)) {
      return ValueState.DigestLike;
    }
    return ValueState.NonBoolean;
  }

  /**
   * Whether a value looks like a hash rather than a setting: hex or base64 of a digest's length,
   * optionally prefixed with the algorithm name. Hex must contain a digit and a letter, base64 a
   * digit and both cases, so that ordinary words of the same length are not flagged.
   */
  public static boolean isDigestLike(String value) {
    String v = ALGORITHM_PREFIX.matcher(value.strip()).replaceFirst("");
    if (HEX.matcher(v).matches() && HEX_DIGEST_LENGTHS.contains(v.length())) {
      return hasDigit(v) && v.chars().anyMatch(Character::isLetter);
    }
    if (BASE64.matcher(v).matches() && BASE64_DIGEST_LENGTHS.contains(v.length())) {
      return hasDigit(v)
          && v.chars().anyMatch(Character::isUpperCase)
          && v.chars().anyMatch(Character::isLowerCase);
    }
    return false;
  }

  /**
   * What an app using {@code rule} reads from the stored value; an absent key reads as false under
   * every rule.
   */
  public static boolean effectiveSuspend(ParseRule rule, Optional<String> raw) {
    if (raw.isEmpty()) {
      return false;
    }
    String value = raw.get();
    return switch (rule) {
      case LowercaseTrue -> value.toLowerCase(Locale.ROOT).equals(TRUE);
      case TrimmedLowercaseTrue -> value.strip().toLowerCase(Locale.ROOT).equals(TRUE);
      case ExactTrue -> value.equals(TRUE);
      case Truthy -> TRUTHY_WORDS.contains(value.strip().toLowerCase(Locale.ROOT));
      case NonEmpty -> !value.isEmpty();
    };
  }

  /**
   * A sentence for status and events saying how the app reads a value, without quoting the value.
   */
  public static String describe(ValueState state, ParseRule rule, Boolean effectiveSuspend) {
    String reading =
        "the app ("
            + rule
            + ") reads it as suspend="
            + effectiveSuspend
            + (effectiveSuspend ? " (Redis suspended)" : " (Redis active)");
    return switch (state) {
      case Canonical -> "the value is canonical; " + reading;
      case NonCanonicalBoolean ->
          "the value is a boolean but not canonical (true/false); " + reading;
      case DigestLike ->
          "the value looks like a pasted digest (e.g. from `fly secrets list`), not a boolean; "
              + reading;
      case NonBoolean -> "the value is not a boolean; " + reading;
      case Empty -> "the value is empty; " + reading;
      case Missing -> "the key is missing; " + reading;
      case Unknown ->
          "the store does not reveal the value (Fly.io lists only a digest), so how the app reads"
              + " it is unknown";
    };
  }

  private static boolean hasDigit(String v) {
    return v.chars().anyMatch(Character::isDigit);
  }
}
