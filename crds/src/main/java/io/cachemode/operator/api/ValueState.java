package io.cachemode.operator.api;

/** Classification of a stored flag value. */
public enum ValueState {
  Canonical,
  NonCanonicalBoolean,
  DigestLike,
  NonBoolean,
  Empty,
  Missing,
  /** The store does not reveal values (Fly.io) and the operator has not written this one. */
  Unknown
}
