package io.cachemode.operator.app;

import io.cachemode.operator.egress.OutboundPolicy;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Operator configuration, read once from the environment at start-up and validated there, so a bad
 * value stops the process with a clear message instead of surfacing later in a reconcile.
 *
 * @param watchNamespaces namespaces to watch; empty means all namespaces
 * @param leaderElection whether to take a Lease before reconciling (required with more than one
 *     replica)
 * @param operatorNamespace where the Lease lives
 * @param leaseName name of the Lease
 * @param identity this replica's name in the Lease; must differ between replicas
 * @param httpPort port of /metrics, /healthz and /readyz
 * @param jsonLogs whether logs are JSON lines (LOG_FORMAT=json) instead of text
 * @param outbound where health checks, meters, provider APIs and Redis connections may go (the
 *     EGRESS_* variables)
 */
public record OperatorSettings(
    Set<String> watchNamespaces,
    boolean leaderElection,
    Optional<String> operatorNamespace,
    String leaseName,
    String identity,
    int httpPort,
    boolean jsonLogs,
    OutboundPolicy outbound) {

  public static OperatorSettings fromEnvironment(Map<String, String> env) {
    Set<String> namespaces =
        Arrays.stream(env.getOrDefault("WATCH_NAMESPACES", "").split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    boolean leaderElection = bool(env, "LEADER_ELECTION", false);
    Optional<String> operatorNamespace =
        Optional.ofNullable(env.get("OPERATOR_NAMESPACE")).filter(s -> !s.isBlank());
    if (leaderElection && operatorNamespace.isEmpty()) {
      throw new IllegalArgumentException(
          "LEADER_ELECTION=true needs OPERATOR_NAMESPACE (where the Lease lives)");
    }
    int port;
    try {
      port = Integer.parseInt(env.getOrDefault("HTTP_PORT", "8080"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "HTTP_PORT must be a port number, got " + env.get("HTTP_PORT"));
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("HTTP_PORT must be between 0 and 65535, got " + port);
    }
    String format = env.getOrDefault("LOG_FORMAT", "text");
    if (!format.equals("text") && !format.equals("json")) {
      throw new IllegalArgumentException("LOG_FORMAT must be text or json, got " + format);
    }
    return new OperatorSettings(
        namespaces,
        leaderElection,
        operatorNamespace,
        env.getOrDefault("LEASE_NAME", "cachemode-operator"),
        Optional.ofNullable(env.get("POD_NAME"))
            .filter(s -> !s.isBlank())
            .orElseGet(OperatorSettings::defaultIdentity),
        port,
        format.equals("json"),
        OutboundPolicy.fromEnvironment(env));
  }

  /**
   * Two processes on one host must not share an identity, or both would believe they hold the
   * Lease.
   */
  private static String defaultIdentity() {
    String host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("cachemode-operator");
    return host + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  private static boolean bool(Map<String, String> env, String name, boolean dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new IllegalArgumentException(name + " must be true or false, got " + v);
  }
}
