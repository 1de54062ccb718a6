package io.cachemode.operator.verify;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.cachemode.operator.api.FollowRedirects;
import io.cachemode.operator.egress.DestinationNotAllowedException;
import io.cachemode.operator.egress.Refusal;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The one bounded HTTP GET used by the health probe and the HTTP meters: one request per call (plus
 * the same-host redirects a health check opts into), no silent retries, a deadline on the whole
 * exchange, and a capped body. Redirects are never followed by OkHttp itself: a meter never follows
 * one, so credentials never travel to a host a redirect names.
 */
final class HttpGet {

  /** Larger bodies are cut; a cut JSON body then reads as not JSON. */
  private static final long MAX_BODY_BYTES = 4L * 1024 * 1024;

  private static final int MAX_REDIRECTS = 5;

  // Decimals stay as written ("1.50"), so a health check can compare a JSON number as text.
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  sealed interface Reply permits Answered, NoAnswer {}

  /**
   * A response arrived (any status).
   *
   * @param redirectNotFollowed for a 3xx that was not followed, why, e.g. "redirect to
   *     other.example not followed (followRedirects: Never)"
   */
  record Answered(int status, String body, Optional<String> redirectNotFollowed) implements Reply {
    boolean successful() {
      return status >= 200 && status < 300;
    }

    /** The body as JSON, or empty when it is not exactly one JSON value. */
    Optional<JsonNode> json() {
      try {
        JsonNode node = MAPPER.readTree(body);
        return node == null || node.isMissingNode() ? Optional.empty() : Optional.of(node);
      } catch (IOException e) {
        return Optional.empty();
      }
    }
  }

  /**
   * No response: {@code reason} says why, e.g. "connection refused to host:port".
   *
   * @param refusal set when the outbound policy refused the destination: nothing was sent
   */
  record NoAnswer(String reason, Optional<Refusal> refusal) implements Reply {
    NoAnswer(String reason) {
      this(reason, Optional.empty());
    }
  }

  private final OkHttpClient client;
  private final Duration timeout;
  private final FollowRedirects redirects;

  /** A GET that follows no redirect. */
  HttpGet(OkHttpClient base, Duration timeout) {
    this(base, timeout, FollowRedirects.Never);
  }

  HttpGet(OkHttpClient base, Duration timeout, FollowRedirects redirects) {
    this.timeout = timeout;
    this.redirects = redirects;
    // Without retryOnConnectionFailure(false) OkHttp may resend after a connection failure or
    // retry TLS with fallback settings; an attempt here must be exactly one request.
    this.client =
        base.newBuilder()
            .callTimeout(timeout)
            .connectTimeout(timeout)
            .readTimeout(timeout)
            .writeTimeout(timeout)
            .retryOnConnectionFailure(false)
            .followRedirects(false)
            .followSslRedirects(false)
            .build();
  }

  /** Sends {@code request}, following the redirects this GET allows within one timeout. */
  Reply send(Request request) {
    long deadline = System.nanoTime() + timeout.toNanos();
    // A fresh connection per request: checks and samples are minutes apart, longer than servers
    // keep idle connections open, and with no retry a pooled connection the server has closed
    // would fail the attempt (EOFException) without the server ever seeing it.
    Request current = request.newBuilder().header("Connection", "close").build();
    for (int hop = 0; ; hop++) {
      Call call = client.newCall(current);
      call.timeout().timeout(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      try (Response response = call.execute()) {
        HttpUrl target = redirectTarget(response);
        Optional<String> refused =
            target == null ? Optional.empty() : notFollowed(request.url(), target, hop);
        if (target != null && refused.isEmpty()) {
          current = current.newBuilder().url(target).build();
          continue;
        }
        return new Answered(response.code(), response.peekBody(MAX_BODY_BYTES).string(), refused);
      } catch (DestinationNotAllowedException e) {
        return new NoAnswer(e.refusal().message(), Optional.of(e.refusal()));
      } catch (IOException e) {
        return new NoAnswer(
            NetworkErrors.describe(e, current.url().host(), current.url().port(), timeout));
      }
    }
  }

  /** Where a 3xx points, or null when the response is no redirect. */
  private static HttpUrl redirectTarget(Response response) {
    String location = response.isRedirect() ? response.header("Location") : null;
    return location == null ? null : response.request().url().resolve(location);
  }

  /**
   * Why the redirect to {@code target} is not followed, or empty to follow it. Only the host is
   * named: a Location may carry credentials or tokens in its path or query.
   */
  private Optional<String> notFollowed(HttpUrl origin, HttpUrl target, int hop) {
    String prefix = "redirect to " + target.host() + " not followed";
    if (redirects == FollowRedirects.Never) {
      return Optional.of(prefix + " (followRedirects: Never)");
    }
    if (!target.host().equals(origin.host())) {
      return Optional.of(
          prefix + " (followRedirects: SameHost, the check is for " + origin.host() + ")");
    }
    if (origin.isHttps() && !target.isHttps()) {
      return Optional.of(prefix + " (from https to http)");
    }
    if (hop >= MAX_REDIRECTS) {
      return Optional.of(prefix + " (more than " + MAX_REDIRECTS + " redirects)");
    }
    return Optional.empty();
  }

  /**
   * Sends a request to a JSON API and lets {@code interpret} read a successful reply; transport
   * failures, error statuses and non-JSON bodies become failures naming {@code service}.
   */
  Measurement measure(Request request, String service, Function<JsonNode, Measurement> interpret) {
    Reply reply = send(request);
    if (reply instanceof NoAnswer none) {
      return new Measurement.Failure(FailureKind.Unreachable, service + ": " + none.reason());
    }
    Answered answered = (Answered) reply;
    if (!answered.successful()) {
      return statusFailure(service, answered);
    }
    return answered
        .json()
        .map(interpret)
        .orElseGet(
            () ->
                new Measurement.Failure(
                    FailureKind.Malformed,
                    service
                        + " answered HTTP "
                        + answered.status()
                        + " with a body that is not JSON"));
  }

  private static Measurement.Failure statusFailure(String service, Answered answered) {
    int status = answered.status();
    FailureKind kind;
    if (status == 401 || status == 403) {
      kind = FailureKind.Unauthorized;
    } else if (status == 429) {
      kind = FailureKind.RateLimited;
    } else if (status >= 500) {
      kind = FailureKind.ServerError;
    } else if (status >= 400) {
      kind = FailureKind.Misconfigured;
    } else {
      kind = FailureKind.Malformed;
    }
    // Prometheus explains errors in an "error" field (e.g. a PromQL parse error); other bodies are
    // not echoed, as they are not ours to vouch for.
    String detail =
        answered
            .json()
            .map(node -> node.path("error"))
            .filter(JsonNode::isTextual)
            .map(node -> ": " + abbreviate(node.textValue()))
            .orElse("");
    return new Measurement.Failure(kind, service + " answered HTTP " + status + detail);
  }

  static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
