package io.cachemode.operator.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * Reads the reply of a Prometheus instant query ({@code /api/v1/query}) that returns GET requests
 * per second as one sample, either a one-element vector or a scalar.
 */
final class PrometheusResponse {

  static final String METHOD = "Prometheus instant query";
  static final String REASON =
      "GETs per second from the query, evaluated at the sample time over its own range";

  private PrometheusResponse() {}

  /**
   * @param window the range the query itself covers, as configured; it is reported, not checked
   */
  static Measurement perMinute(JsonNode reply, Instant now, Duration window) {
    String status = reply.path("status").asText("");
    if (!status.equals("success")) {
      return new Measurement.Failure(
          FailureKind.Malformed,
          "Prometheus answered status \""
              + status
              + "\""
              + (reply.path("error").isTextual()
                  ? ": " + HttpGet.abbreviate(reply.path("error").textValue())
                  : ""));
    }
    JsonNode data = reply.path("data");
    String type = data.path("resultType").asText("");
    JsonNode result = data.path("result");
    JsonNode sample;
    switch (type) {
      case "scalar" -> sample = result;
      case "vector" -> {
        if (!result.isArray()) {
          return malformed("a vector without a result array");
        }
        if (result.isEmpty()) {
          return new Measurement.Failure(FailureKind.NoData, "the query returned no series");
        }
        if (result.size() > 1) {
          return new Measurement.Failure(
              FailureKind.Misconfigured,
              "the query returned "
                  + result.size()
                  + " series; it must return one (wrap it in sum(...))");
        }
        sample = result.get(0).path("value");
      }
      case "matrix", "string" -> {
        return new Measurement.Failure(
            FailureKind.Misconfigured,
            "the query returned a "
                + type
                + "; it must return one number, e.g. sum(rate(...[5m]))");
      }
      default -> {
        return malformed("result type \"" + type + "\"");
      }
    }
    // A sample is [unix time, "value"]; the value is a string so that NaN and +Inf fit.
    JsonNode value = sample.path(1);
    if (!sample.isArray() || sample.size() != 2 || !value.isTextual()) {
      return malformed("a sample that is not [time, \"value\"]");
    }
    double perSecond;
    try {
      perSecond = parseValue(value.textValue());
    } catch (NumberFormatException e) {
      return malformed("the value \"" + HttpGet.abbreviate(value.textValue()) + "\"");
    }
    if (!Double.isFinite(perSecond) || perSecond < 0) {
      return new Measurement.Failure(
          FailureKind.NotANumber, "the query returned " + value.textValue() + ", not a rate");
    }
    return new Measurement.Rate(perSecond * 60, window, METHOD, REASON, now);
  }

  // Prometheus writes Go's strconv.FormatFloat: "NaN", "+Inf", "-Inf", which Java does not parse.
  private static double parseValue(String text) {
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  private static Measurement.Failure malformed(String what) {
    return new Measurement.Failure(FailureKind.Malformed, "Prometheus answered " + what);
  }
}
