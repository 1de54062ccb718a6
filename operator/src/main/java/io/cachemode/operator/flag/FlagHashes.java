package io.cachemode.operator.flag;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Hashes that let status and annotations identify values without revealing them. */
public final class FlagHashes {
  private static final int LENGTH = 16;

  private FlagHashes() {}

  /**
   * The pod-template annotation value for a change: stable for a (flag location, canonical value)
   * pair, so a replayed event, an operator restart or a leader change computes the same hash and
   * restarts nothing twice.
   */
  public static String flagHash(String location, String canonicalValue) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest =
          sha.digest((location + "=" + canonicalValue).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  /**
   * A salted hash of a stored value, so status can show whether the value changed between
   * observations. The salt (the CacheMode's UID) keeps equal values in different resources from
   * looking alike; a hash still identifies rather than protects, which is why only flag values,
   * never credentials, are hashed.
   */
  public static String valueHash(String key, String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, LENGTH);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
    }
  }
}
