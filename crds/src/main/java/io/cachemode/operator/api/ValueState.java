package io.cachemode.operator.api;

/** Classification of a stored flag value. */
public enum ValueState {
  Canonical,
  NonCanonicalBoolean,
  DigestLike,
  NonBoolean,
  Empty,
  Missing
}
