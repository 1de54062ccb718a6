package io.cachemode.operator.verify;

import io.cachemode.operator.api.PrometheusMetricsSpec;
import io.cachemode.operator.api.RedisCountMethod;
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

  static final String REDIS = "redis";

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
      return redis(spec.getRedis(), spec.getSampleWindow(), secrets);
    }
    if (spec.getUpstash() != null) {
      return upstash(spec.getUpstash(), secrets);
    }
    if (spec.getPrometheus() != null) {
      return prometheus(spec.getPrometheus(), spec.getWindow(), secrets);
    }
    return misconfigured("none", "spec.requestMetrics names no source");
  }

  private RequestMeter redis(RedisMetricsSpec spec, String sampleWindow, SecretValues secrets) {
    SecretKeySelector ref = spec.getAddressSecretRef();
    if (ref == null || ref.getName() == null || ref.getKey() == null) {
      return misconfigured(
          REDIS, "spec.requestMetrics.redis.addressSecretRef needs a name and a key");
    }
    Optional<String> url = secrets.get(ref.getName(), ref.getKey());
    if (url.isEmpty()) {
      return misconfigured(REDIS, missingKey(ref.getName(), ref.getKey()));
    }
    URI uri;
    try {
      uri = new URI(url.get().strip());
    } catch (URISyntaxException e) {
      uri = null;
    }
    if (!RedisConnections.isUsableUrl(uri)) {
      // The value is not quoted: it holds the password.
      return misconfigured(
          REDIS,
          "Secret "
              + ref.getName()
              + " key "
              + ref.getKey()
              + " is not a redis:// or rediss:// URL with a host");
    }
    Duration window;
    try {
      window =
          Durations.parse(
              sampleWindow == null ? RequestMetricsSpec.DEFAULT_SAMPLE_WINDOW : sampleWindow);
    } catch (IllegalArgumentException e) {
      return misconfigured(REDIS, "spec.requestMetrics.sampleWindow: " + e.getMessage());
    }
    int maxLines =
        spec.getMaxMonitorLines() == null
            ? RedisMetricsSpec.DEFAULT_MAX_MONITOR_LINES
            : spec.getMaxMonitorLines();
    RedisCountMethod method = spec.getMethod() == null ? RedisCountMethod.Auto : spec.getMethod();
    return new RedisMeters(new RedisConnections(uri, timeout, outbound::redis), window, maxLines)
        .create(method);
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

  private RequestMeter prometheus(PrometheusMetricsSpec spec, String window, SecretValues secrets) {
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
    Optional<String> token = Optional.empty();
    SecretKeySelector ref = spec.getBearerTokenSecretRef();
    if (ref != null) {
      // The token may only go where the policy lets metrics queries go: checked before it is read.
      Optional<Refusal> refused = outbound.refusal(Purpose.Metrics, url.host());
      if (refused.isPresent()) {
        return misconfigured(
            source, "spec.requestMetrics.prometheus.url: " + refused.get().message());
      }
      token = secrets.get(ref.getName(), ref.getKey()).map(String::strip);
      if (token.isEmpty() || token.get().isEmpty()) {
        return misconfigured(source, missingKey(ref.getName(), ref.getKey()));
      }
      // A header value must be visible ASCII; the token itself is never quoted.
      if (!token.get().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        return misconfigured(
            source,
            "Secret "
                + ref.getName()
                + " key "
                + ref.getKey()
                + " holds characters a bearer token cannot have");
      }
    }
    return new PrometheusRequestMeter(
        outbound.http(Purpose.Metrics), timeout, url, spec.getQuery(), parsedWindow, token);
  }

  private static String missingKey(String secret, String key) {
    return "Secret " + secret + " has no key " + key;
  }

  private static RequestMeter misconfigured(String source, String message) {
    return new UnavailableMeter(
        source, new Measurement.Failure(FailureKind.Misconfigured, message));
  }
}
