package io.cachemode.operator.verify;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The one bounded HTTP GET used by the health probe and the HTTP meters: one request per call, no
 * silent retries, a deadline on the whole exchange, and a capped body.
 */
final class HttpGet {

  /** Larger bodies are cut; a cut JSON body then reads as not JSON. */
  private static final long MAX_BODY_BYTES = 4L * 1024 * 1024;

  // Decimals stay as written ("1.50"), so a health check can compare a JSON number as text.
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

  sealed interface Reply permits Answered, NoAnswer {}

  /** A response arrived (any status). */
  record Answered(int status, String body) implements Reply {
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

  /** No response: {@code reason} says why, e.g. "connection refused to host:port". */
  record NoAnswer(String reason) implements Reply {}

  private final OkHttpClient client;
  private final Duration timeout;

  HttpGet(OkHttpClient base, Duration timeout) {
    this.timeout = timeout;
    // Without retryOnConnectionFailure(false) OkHttp may resend after a connection failure or
    // retry TLS with fallback settings; an attempt here must be exactly one request.
    this.client =
        base.newBuilder()
            .callTimeout(timeout)
            .connectTimeout(timeout)
            .readTimeout(timeout)
            .writeTimeout(timeout)
            .retryOnConnectionFailure(false)
            .build();
  }

  Reply send(Request request) {
    try (Response response = client.newCall(request).execute()) {
      return new Answered(response.code(), response.peekBody(MAX_BODY_BYTES).string());
    } catch (IOException e) {
      return new NoAnswer(
          NetworkErrors.describe(e, request.url().host(), request.url().port(), timeout));
    }
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
