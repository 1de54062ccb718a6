package io.cachemode.operator.targets;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.CacheModeStatus;
import io.cachemode.operator.api.FlyTargetSpec;
import io.cachemode.operator.api.SecretKeySelector;
import io.cachemode.operator.api.TargetSpec;
import io.cachemode.operator.api.WriteRecord;
import io.cachemode.operator.flag.FlagLocation;
import io.cachemode.operator.support.DaemonThreads;
import io.cachemode.operator.targets.fly.FlyTarget;
import io.cachemode.operator.targets.kubernetes.InformerCaches;
import io.cachemode.operator.targets.kubernetes.KubernetesTarget;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/** Builds the {@link Target} a CacheMode's spec describes. */
public final class TargetFactory {
  /** Used when {@code spec.target.fly.tokenSecretRef.key} is not set. */
  static final String DEFAULT_TOKEN_KEY = "token";

  private static final String DEFAULT_FLY_API = "https://api.machines.dev";

  private final KubernetesClient client;
  private final OkHttpClient http;
  private final InformerCaches caches = new InformerCaches();

  /**
   * Kubernetes targets read their Secret afresh here, beside their workload reads. A reconcile
   * waits for its own read, so there are never more threads than reconciles at once, and none is
   * kept when nothing is read.
   */
  private final Executor freshReads =
      new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          10,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          DaemonThreads.named("cachemode-fresh-read"));

  /**
   * @param http the client for the Fly Machines API, shared by every Fly target
   */
  public TargetFactory(KubernetesClient client, OkHttpClient http) {
    this.client = client;
    this.http = http;
  }

  /** Where the Kubernetes targets find the informers' copies; filled when the informers start. */
  public InformerCaches informerCaches() {
    return caches;
  }

  public Target create(CacheMode cm) {
    TargetSpec t = cm.getSpec().getTarget();
    String ns = cm.getMetadata().getNamespace();
    if (t.getKubernetes() != null) {
      return new KubernetesTarget(
          client, caches, ns, cm.getMetadata().getName(), t.getKubernetes(), freshReads);
    }
    return fly(ns, t.getFly(), cm.getStatus());
  }

  private Target fly(String ns, FlyTargetSpec fly, CacheModeStatus status) {
    FlagLocation where = FlagLocation.flyApp(fly.getApp(), flagKey(fly));
    String apiUrl = fly.getApiUrl() == null ? DEFAULT_FLY_API : fly.getApiUrl();
    if (HttpUrl.parse(apiUrl) == null) {
      return new UnavailableTarget(
          where, "InvalidApiUrl", "spec.target.fly.apiUrl: " + apiUrl + " is not an http(s) URL");
    }
    SecretKeySelector ref = fly.getTokenSecretRef();
    String tokenKey = ref.getKey() == null ? DEFAULT_TOKEN_KEY : ref.getKey();
    Optional<String> token = token(ns, ref.getName(), tokenKey);
    if (token.isEmpty()) {
      return new UnavailableTarget(
          where,
          "TokenSecretNotFound",
          "spec.target.fly.tokenSecretRef: Secret "
              + ns
              + "/"
              + ref.getName()
              + " not found or has no non-empty key "
              + tokenKey);
    }
    return new FlyTarget(
        http, apiUrl, fly.getApp(), flagKey(fly), token.get(), lastWrite(status, where));
  }

  /**
   * The operator's last write as status recorded it, which the Fly target needs because Fly never
   * reveals values. Only a write to this same location counts: after {@code spec.target.fly.app} or
   * {@code key} changed, the record (next to {@code status.secret.name} and {@code key}, which name
   * the old location) says nothing about the new key.
   */
  static Optional<WriteReceipt> lastWrite(CacheModeStatus status, FlagLocation where) {
    if (status == null
        || status.getSecret() == null
        || status.getSecret().getLastWrite() == null
        || !where.name().equals(status.getSecret().getName())
        || !where.key().equals(status.getSecret().getKey())) {
      return Optional.empty();
    }
    WriteRecord w = status.getSecret().getLastWrite();
    if (w.getValue() == null || w.getWrittenAt() == null) {
      return Optional.empty();
    }
    return Optional.of(
        new WriteReceipt(
            w.getValue(),
            w.getWrittenAt(),
            new SecretVersion(w.getDigest(), w.getUpdatedAt(), w.getSecretsVersion())));
  }

  private Optional<String> token(String ns, String name, String key) {
    Secret s;
    try {
      s = client.secrets().inNamespace(ns).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new TargetException(
          "reading Secret " + ns + "/" + name + " failed: " + e.getMessage(), e);
    }
    if (s == null || s.getData() == null || s.getData().get(key) == null) {
      return Optional.empty();
    }
    String token =
        new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8)
            .strip();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  private static String flagKey(FlyTargetSpec fly) {
    return fly.getKey() == null ? ApiConstants.DEFAULT_FLAG_KEY : fly.getKey();
  }

  /**
   * The one place a flag can live, as a comparable key: two CacheModes with the same location would
   * fight over one key, so only the oldest may manage it.
   */
  public static FlagLocation location(CacheMode cm) {
    TargetSpec t = cm.getSpec().getTarget();
    if (t.getKubernetes() != null) {
      var ref = t.getKubernetes().getSecretRef();
      String key = ref.getKey() == null ? ApiConstants.DEFAULT_FLAG_KEY : ref.getKey();
      return FlagLocation.secret(cm.getMetadata().getNamespace(), ref.getName(), key);
    }
    return FlagLocation.flyApp(t.getFly().getApp(), flagKey(t.getFly()));
  }
}
