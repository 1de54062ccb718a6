package io.cachemode.operator.verify;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Evaluates a PromQL instant query returning GET requests per second ({@code GET
 * {url}/api/v1/query?query=...&time=...}): one request per measurement.
 *
 * <p>The query carries its own range ({@code rate(...[5m])}), so the baseline and the after-window
 * are both the query evaluated "now". For the after-window to hold only post-rollout traffic, the
 * query's range must not be longer than {@code spec.requestMetrics.window}; the configured window
 * is what {@link Measurement.Rate#window()} reports.
 */
public final class PrometheusRequestMeter extends ApiRequestMeter {

  static final String SOURCE = "prometheus";
  private static final String SERVICE = "Prometheus";

  private final HttpGet http;
  private final HttpUrl queryUrl;
  private final String query;
  private final Duration window;
  private final Optional<String> bearerToken;

  /**
   * @param bearerToken sent as {@code Authorization: Bearer <token>} when present
   */
  public PrometheusRequestMeter(
      OkHttpClient client,
      Duration timeout,
      HttpUrl baseUrl,
      String query,
      Duration window,
      Optional<String> bearerToken) {
    this.http = new HttpGet(client, timeout);
    this.queryUrl = baseUrl.newBuilder().addPathSegments("api/v1/query").build();
    this.query = query;
    this.window = window;
    this.bearerToken = bearerToken;
  }

  @Override
  public String source() {
    return SOURCE;
  }

  /**
   * An instant query at {@code to}; the PromQL carries its own range, so {@code from} is not used.
   */
  @Override
  Measurement rate(Instant from, Instant now) {
    HttpUrl url =
        queryUrl
            .newBuilder()
            .addQueryParameter("query", query)
            .addQueryParameter("time", epochSeconds(now))
            .build();
    Request.Builder request = new Request.Builder().url(url).header("Accept", "application/json");
    bearerToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
    return http.measure(
        request.build(), SERVICE, reply -> PrometheusResponse.perMinute(reply, now, window));
  }

  private static String epochSeconds(Instant instant) {
    return BigDecimal.valueOf(instant.toEpochMilli(), 3).toPlainString();
  }
}
