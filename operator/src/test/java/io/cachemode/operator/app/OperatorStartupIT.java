package io.cachemode.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packaged jar refuses to start on a bad outbound policy, before it contacts anything, with a
 * message naming the variable and the entry.
 */
class OperatorStartupIT {
  private static final Path JAR = Path.of("target", "cachemode-operator.jar");

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "EGRESS_HEALTH_CHECK | *.svc,169.254.0.0/16 | cachemode-operator: EGRESS_HEALTH_CHECK:"
            + " 169.254.0.0/16 is always refused (link-local (cloud instance metadata)"
            + " 169.254.0.0/16)",
        "EGRESS_PROVIDER_API | api.upstash.com,https://evil.example | cachemode-operator:"
            + " EGRESS_PROVIDER_API: https://evil.example is a URL; list its host name only (e.g."
            + " api.upstash.com)",
        "EGRESS_IN_CLUSTER   | maybe | cachemode-operator: EGRESS_IN_CLUSTER must be auto, true or"
            + " false, got maybe",
      })
  void aBadOutboundPolicyStopsTheStart(String variable, String value, String message)
      throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString())
            .redirectErrorStream(true);
    // No cluster to reach: the start must fail before any connection is attempted.
    pb.environment().put("KUBECONFIG", "/nonexistent");
    pb.environment().put(variable, value);
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isEqualTo(2);
    assertThat(out.strip()).isEqualTo(message);
  }
}
