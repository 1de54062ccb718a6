package io.cachemode.operator.flag;

import java.util.Objects;

/**
 * The one place a flag lives: a key of a Kubernetes Secret or a Fly.io app secret. {@link #id()} is
 * the identity that hashes and claims use; it must never change for an existing location, because
 * the restart hash is derived from it and a new id would restart every managed workload. {@link
 * #toString()} is for people and may be reworded freely.
 */
public record FlagLocation(Kind kind, String scope, String name, String key) {

  /** Where the key is stored. */
  public enum Kind {
    /** A key of a Secret: {@code scope} is the namespace, {@code name} the Secret. */
    KubernetesSecret,
    /** A Fly.io app secret: {@code scope} and {@code name} are both the app. */
    FlyAppSecret
  }

  public FlagLocation {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(key, "key");
  }

  public static FlagLocation secret(String namespace, String secret, String key) {
    return new FlagLocation(Kind.KubernetesSecret, namespace, secret, key);
  }

  public static FlagLocation flyApp(String app, String key) {
    return new FlagLocation(Kind.FlyAppSecret, app, app, key);
  }

  /**
   * The stable identity. Its spelling is the one earlier releases hashed, so upgrading the operator
   * restarts nothing; {@code FlagLocationTest} pins it.
   */
  public String id() {
    return switch (kind) {
      case KubernetesSecret -> "Secret " + scope + "/" + name + " key " + key;
      case FlyAppSecret -> "Fly app " + name + " secret " + key;
    };
  }

  /** The restart hash for this location holding {@code canonicalValue}. */
  public String flagHash(String canonicalValue) {
    return FlagHashes.flagHash(id(), canonicalValue);
  }

  /** Reads like {@link #id()} today; only {@code id()} is pinned, so this one may be reworded. */
  @Override
  public String toString() {
    return id();
  }
}
