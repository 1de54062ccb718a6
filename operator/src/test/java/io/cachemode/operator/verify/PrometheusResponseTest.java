package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrometheusResponseTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-09-02T10:00:00Z");
  private static final Duration WINDOW = Duration.ofMinutes(5);

  /** What a successful query answers: its method and reason are fixed. */
  static Measurement.Rate rate(double perMinute, Instant at) {
    return new Measurement.Rate(
        perMinute,
        WINDOW,
        "Prometheus instant query",
        "GETs per second from the query, evaluated at the sample time over its own range",
        at);
  }

  private static Measurement parse(String json) throws Exception {
    return PrometheusResponse.perMinute(MAPPER.readTree(json), NOW, WINDOW);
  }

  private static FailureKind kindOf(Measurement m) {
    assertThat(m).isInstanceOf(Measurement.Failure.class);
    return ((Measurement.Failure) m).kind();
  }

  @Test
  void vectorWithOneSampleIsPerSecondTimesSixty() throws Exception {
    Measurement m =
        parse(
            """
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"cmd":"get"},"value":[1788343200.123,"25.5"]}]}}
            """);

    assertThat(m).isEqualTo(rate(1530.0, NOW));
  }

  @Test
  void scalarResultIsAccepted() throws Exception {
    Measurement m =
        parse("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"2\"]}}");

    assertThat(m).isEqualTo(rate(120.0, NOW));
  }

  @Test
  void zeroIsARate() throws Exception {
    Measurement m =
        parse(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                + "\"result\":[{\"metric\":{},\"value\":[1,\"0\"]}]}}");

    assertThat(((Measurement.Rate) m).perMinute()).isZero();
  }

  @Test
  void emptyVectorIsNoData() throws Exception {
    Measurement m =
        parse("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");

    assertThat(m)
        .isEqualTo(new Measurement.Failure(FailureKind.NoData, "the query returned no series"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"NaN", "+Inf", "-Inf", "-0.5"})
  void nonFiniteOrNegativeValuesAreNotANumber(String value) throws Exception {
    Measurement m =
        parse(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                + "\"result\":[{\"metric\":{},\"value\":[1,\""
                + value
                + "\"]}]}}");

    assertThat(m)
        .isEqualTo(
            new Measurement.Failure(
                FailureKind.NotANumber, "the query returned " + value + ", not a rate"));
  }

  @Test
  void errorStatusIsReportedWithPrometheusMessage() throws Exception {
    Measurement m =
        parse(
            "{\"status\":\"error\",\"errorType\":\"bad_data\","
                + "\"error\":\"1:5: parse error: unexpected end of input\"}");

    assertThat(m)
        .isEqualTo(
            new Measurement.Failure(
                FailureKind.Malformed,
                "Prometheus answered status \"error\": 1:5: parse error: unexpected end of input"));
  }

  @Test
  void severalSeriesOrARangeVectorIsMisconfigured() throws Exception {
    assertThat(
            kindOf(
                parse(
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                        + "{\"metric\":{\"i\":\"a\"},\"value\":[1,\"1\"]},"
                        + "{\"metric\":{\"i\":\"b\"},\"value\":[1,\"2\"]}]}}")))
        .isEqualTo(FailureKind.Misconfigured);
    assertThat(
            kindOf(
                parse(
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                        + "{\"metric\":{},\"values\":[[1,\"1\"]]}]}}")))
        .isEqualTo(FailureKind.Misconfigured);
  }

  @Test
  void brokenShapesAreMalformed() throws Exception {
    assertThat(kindOf(parse("{\"status\":\"success\"}"))).isEqualTo(FailureKind.Malformed);
    assertThat(
            kindOf(
                parse(
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                        + "\"result\":[{\"metric\":{},\"value\":[1,\"fast\"]}]}}")))
        .isEqualTo(FailureKind.Malformed);
    assertThat(
            kindOf(
                parse(
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                        + "\"result\":[{\"metric\":{},\"value\":[1,2]}]}}")))
        .isEqualTo(FailureKind.Malformed);
  }
}
