package io.cachemode.operator.verify;

import java.util.Optional;

/** Reads one key of a Secret; the caller binds it to the CacheMode's namespace. */
@FunctionalInterface
public interface SecretValues {

  /** The decoded value, or empty when the Secret or the key does not exist. */
  Optional<String> get(String secretName, String key);
}
