package io.cachemode.operator.verify;

import java.time.Duration;
import java.time.Instant;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Reads the GET rate from the Upstash Developer API ({@code GET {apiUrl}/v2/redis/stats/{id}}, HTTP
 * Basic with the account email and API key): one request per measurement. The API serves native
 * Upstash accounts only, not databases created through Fly.io or Vercel. See {@link UpstashStats}
 * for how the series becomes a rate.
 */
public final class UpstashRequestMeter extends ApiRequestMeter {

  static final String SOURCE = "upstash";
  private static final String SERVICE = "Upstash API";

  private final HttpGet http;
  private final HttpUrl statsUrl;
  private final String authorization;

  /**
   * @param apiUrl base URL, e.g. {@code https://api.upstash.com}
   */
  public UpstashRequestMeter(
      OkHttpClient client,
      Duration timeout,
      HttpUrl apiUrl,
      String databaseId,
      String email,
      String apiKey) {
    this.http = new HttpGet(client, timeout);
    this.statsUrl =
        apiUrl.newBuilder().addPathSegments("v2/redis/stats").addPathSegment(databaseId).build();
    this.authorization = Credentials.basic(email, apiKey);
  }

  @Override
  public String source() {
    return SOURCE;
  }

  /** Every complete bucket the API returns within the span (the API decides the period). */
  @Override
  Measurement rate(Instant from, Instant to) {
    Request request =
        new Request.Builder()
            .url(statsUrl)
            .header("Authorization", authorization)
            .header("Accept", "application/json")
            .build();
    return http.measure(request, SERVICE, stats -> UpstashStats.rate(stats, from, to));
  }
}
