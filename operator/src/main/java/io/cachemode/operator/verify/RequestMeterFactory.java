package io.cachemode.operator.verify;

import io.cachemode.operator.api.PrometheusMetricsSpec;
import io.cachemode.operator.api.RedisMetricsSpec;
import io.cachemode.operator.api.RequestMetricsSpec;
import io.cachemode.operator.api.SecretKeySelector;
import io.cachemode.operator.api.UpstashCredentialsRef;
import io.cachemode.operator.api.UpstashMetricsSpec;
import io.cachemode.operator.egress.Outbound;
import io.cachemode.operator.egress.Purpose;
import io.cachemode.operator.egress.Refusal;
import io.cachemode.operator.support.Durations;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * Builds the meter a {@link RequestMetricsSpec} names. When the spec or its Secret does not give
 * what the meter needs, the meter returned answers every call with a {@link
 * FailureKind#Misconfigured} failure that names the Secret and key, never their values.
 */
public final class RequestMeterFactory {

  /** Timeout of one measurement call when none is given. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final Outbound outbound;
  private final Duration timeout;

  /**
   * @param outbound the policy-checked clients: Prometheus goes through {@link Purpose#Metrics},
   *     the Upstash API (which gets credentials) through {@link Purpose#ProviderApi}
   * @param timeout bound of one measurement call (HTTP request or Redis round trips)
   */
  public RequestMeterFactory(Outbound outbound, Duration timeout) {
    this.outbound = outbound;
    this.timeout = timeout;
  }

  public RequestMeter create(RequestMetricsSpec spec, SecretValues secrets) {
    if (spec.getRedis() != null) {
      return redis(spec.getRedis(), secrets);
    }
    if (spec.getUpstash() != null) {
      return upstash(spec.getUpstash(), secrets);
    }
    if (spec.getPrometheus() != null) {
      return prometheus(spec.getPrometheus(), spec.getWindow());
    }
    return misconfigured("none", "spec.requestMetrics names no source");
  }

  private RequestMeter redis(RedisMetricsSpec spec, SecretValues secrets) {
    SecretKeySelector ref = spec.getAddressSecretRef();
    if (ref == null || ref.getName() == null || ref.getKey() == null) {
      return misconfigured(
          RedisRequestMeter.SOURCE,
          "spec.requestMetrics.redis.addressSecretRef needs a name and a key");
    }
    Optional<String> url = secrets.get(ref.getName(), ref.getKey());
    if (url.isEmpty()) {
      return misconfigured(RedisRequestMeter.SOURCE, missingKey(ref.getName(), ref.getKey()));
    }
    URI uri;
    try {
      uri = new URI(url.get().strip());
    } catch (URISyntaxException e) {
      uri = null;
    }
    if (!RedisRequestMeter.isUsableUrl(uri)) {
      // The value is not quoted: it holds the password.
      return misconfigured(
          RedisRequestMeter.SOURCE,
          "Secret "
              + ref.getName()
              + " key "
              + ref.getKey()
              + " is not a redis:// or rediss:// URL with a host");
    }
    return new RedisRequestMeter(uri, timeout);
  }

  private RequestMeter upstash(UpstashMetricsSpec spec, SecretValues secrets) {
    String source = UpstashRequestMeter.SOURCE;
    HttpUrl apiUrl = spec.getApiUrl() == null ? null : HttpUrl.parse(spec.getApiUrl());
    if (apiUrl == null) {
      return misconfigured(source, "spec.requestMetrics.upstash.apiUrl is not an http(s) URL");
    }
    if (spec.getDatabaseId() == null || spec.getDatabaseId().isBlank()) {
      return misconfigured(source, "spec.requestMetrics.upstash.databaseId is empty");
    }
    // Checked before the credentials are even read: they may only go where the policy allows.
    Optional<Refusal> refused = outbound.refusal(Purpose.ProviderApi, apiUrl.host());
    if (refused.isPresent()) {
      return misconfigured(
          source, "spec.requestMetrics.upstash.apiUrl: " + refused.get().message());
    }
    UpstashCredentialsRef ref = spec.getCredentialsSecretRef();
    if (ref == null || ref.getName() == null) {
      return misconfigured(
          source, "spec.requestMetrics.upstash.credentialsSecretRef needs a Secret name");
    }
    String emailKey = ref.getEmailKey() == null ? "email" : ref.getEmailKey();
    String apiKeyKey = ref.getApiKeyKey() == null ? "apiKey" : ref.getApiKeyKey();
    Optional<String> email = secrets.get(ref.getName(), emailKey);
    if (email.isEmpty()) {
      return misconfigured(source, missingKey(ref.getName(), emailKey));
    }
    Optional<String> apiKey = secrets.get(ref.getName(), apiKeyKey);
    if (apiKey.isEmpty()) {
      return misconfigured(source, missingKey(ref.getName(), apiKeyKey));
    }
    return new UpstashRequestMeter(
        outbound.http(Purpose.ProviderApi),
        timeout,
        apiUrl,
        spec.getDatabaseId(),
        email.get().strip(),
        apiKey.get().strip());
  }

  private RequestMeter prometheus(PrometheusMetricsSpec spec, String window) {
    String source = PrometheusRequestMeter.SOURCE;
    HttpUrl url = spec.getUrl() == null ? null : HttpUrl.parse(spec.getUrl());
    if (url == null) {
      return misconfigured(source, "spec.requestMetrics.prometheus.url is not an http(s) URL");
    }
    if (spec.getQuery() == null || spec.getQuery().isBlank()) {
      return misconfigured(source, "spec.requestMetrics.prometheus.query is empty");
    }
    Duration parsedWindow;
    try {
      parsedWindow = Durations.parse(window);
    } catch (IllegalArgumentException e) {
      return misconfigured(source, "spec.requestMetrics.window: " + e.getMessage());
    }
    return new PrometheusRequestMeter(
        outbound.http(Purpose.Metrics), timeout, url, spec.getQuery(), parsedWindow);
  }

  private static String missingKey(String secret, String key) {
    return "Secret " + secret + " has no key " + key;
  }

  private static RequestMeter misconfigured(String source, String message) {
    return new UnavailableMeter(
        source, new Measurement.Failure(FailureKind.Misconfigured, message));
  }
}
