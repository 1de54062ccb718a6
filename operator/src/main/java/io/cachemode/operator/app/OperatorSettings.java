package io.cachemode.operator.app;

import io.cachemode.operator.egress.OutboundPolicy;
import io.cachemode.operator.logging.LogFormat;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.event.Level;

/**
 * Operator configuration, read once from the environment at start-up and validated there, so a bad
 * value stops the process with a clear message instead of surfacing later in a reconcile.
 *
 * @param watchNamespaces namespaces to watch; empty means all namespaces
 * @param leaderElection whether to take a Lease before reconciling (required with more than one
 *     replica)
 * @param operatorNamespace where the Lease lives
 * @param leaseName name of the Lease
 * @param lease how the Lease is renewed and when it is lost (LEASE_DURATION, LEASE_RENEW_DEADLINE,
 *     LEASE_RETRY_PERIOD)
 * @param identity this replica's name in the Lease; must differ between replicas
 * @param httpPort port of /metrics, /healthz and /readyz
 * @param logFormat text lines or JSON lines (LOG_FORMAT=text|json)
 * @param logLevel the root log level (LOG_LEVEL, default INFO)
 * @param verificationThreads how many health checks and GET-rate samples run at once
 *     (VERIFICATION_THREADS, default 8); they never run on reconcile threads
 * @param reconcileThreads how many CacheModes are reconciled at once (RECONCILE_THREADS, default
 *     {@link #DEFAULT_RECONCILE_THREADS}); each reconcile waits on the API server most of its time
 * @param outbound where health checks, meters, provider APIs and Redis connections may go (the
 *     EGRESS_* variables)
 */
public record OperatorSettings(
    Set<String> watchNamespaces,
    boolean leaderElection,
    Optional<String> operatorNamespace,
    String leaseName,
    LeaseTiming lease,
    String identity,
    int httpPort,
    LogFormat logFormat,
    Level logLevel,
    int verificationThreads,
    int reconcileThreads,
    OutboundPolicy outbound) {
  /**
   * Sized from bench/README.md: 200 CacheModes changed at once finished as fast with 16 threads as
   * with JOSDK's 50 (34 s), with 71 fewer threads and 17 MiB less RSS; with 1,000 at once a
   * reconcile took 3 s on average against 0.2 s when paced, i.e. more threads only queue on the API
   * server.
   */
  public static final int DEFAULT_RECONCILE_THREADS = 16;

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
    int port = integer(env, "HTTP_PORT", 8080, 0, 65535);
    int verificationThreads = integer(env, "VERIFICATION_THREADS", 8, 1, 256);
    int reconcileThreads = integer(env, "RECONCILE_THREADS", DEFAULT_RECONCILE_THREADS, 1, 256);
    String format = env.getOrDefault("LOG_FORMAT", "text");
    if (!format.equals("text") && !format.equals("json")) {
      throw new IllegalArgumentException("LOG_FORMAT must be text or json, got " + format);
    }
    Level logLevel = logLevel(env);
    return new OperatorSettings(
        namespaces,
        leaderElection,
        operatorNamespace,
        env.getOrDefault("LEASE_NAME", "cachemode-operator"),
        LeaseTiming.fromEnvironment(env),
        Optional.ofNullable(env.get("POD_NAME"))
            .filter(s -> !s.isBlank())
            .orElseGet(OperatorSettings::defaultIdentity),
        port,
        format.equals("json") ? LogFormat.JSON : LogFormat.TEXT,
        logLevel,
        verificationThreads,
        reconcileThreads,
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

  private static int integer(Map<String, String> env, String name, int dflt, int min, int max) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    int n;
    try {
      n = Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got " + v);
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  private static Level logLevel(Map<String, String> env) {
    String v = env.get("LOG_LEVEL");
    if (v == null || v.isBlank()) {
      return Level.INFO;
    }
    try {
      return Level.valueOf(v.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "LOG_LEVEL must be TRACE, DEBUG, INFO, WARN or ERROR, got " + v);
    }
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
