package io.cachemode.operator.api;

/** Named rules an app may use to read its flag string as a boolean. */
public enum ParseRule {
  /**
   * {@code os.getenv("SUSPEND_REDIS", "false").lower() == "true"}: the rule of the app in the
   * original incident. No trimming, so {@code " true"} reads as false; a missing key reads as
   * false.
   */
  LowercaseTrue,
  /**
   * {@code value.strip().lower() == "true"}: like LowercaseTrue, but surrounding blanks ignored.
   */
  TrimmedLowercaseTrue,
  /** {@code value == "true"}, byte for byte. */
  ExactTrue,
  /** One of 1, t, true, y, yes, on after trimming, in any case. */
  Truthy,
  /** Any non-empty value reads as true. */
  NonEmpty
}
