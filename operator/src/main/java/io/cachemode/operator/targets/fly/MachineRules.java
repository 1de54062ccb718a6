package io.cachemode.operator.targets.fly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cachemode.operator.api.WorkloadResult;
import io.cachemode.operator.targets.WorkloadState;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which Fly machines take part in a rollout, which one to update next, what the update sends, and
 * whether a machine finished rolling out for a flag hash. Pure: reads only the machines it is
 * given.
 *
 * <p>The operator's memory of a change lives in each machine's {@code config.metadata} (keys in
 * Fly's own {@code snake_case} style, no {@code /} so they also work with the metadata endpoints
 * and the {@code metadata.{key}} list filter).
 */
final class MachineRules {
  /** Hash of the flag value the machine was last updated for. */
  static final String HASH_KEY = "cachemode_flag_hash";

  /** When the operator updated the machine (RFC 3339). */
  static final String RESTARTED_AT_KEY = "cachemode_restarted_at";

  /**
   * The instance (machine version) the update replaced: while the machine still reports it, the
   * state and checks describe the old instance and say nothing about the update.
   */
  static final String REPLACED_INSTANCE_KEY = "cachemode_replaced_instance";

  /** The app secrets version the update required ({@code min_secrets_version}). */
  static final String SECRETS_VERSION_KEY = "cachemode_secrets_version";

  private static final Set<String> FAILED_STATES = Set.of("failed", "destroying", "destroyed");
  private static final Set<String> RESTING_STATES = Set.of("stopped", "suspended");

  private MachineRules() {}

  /**
   * The machines a rollout covers, ordered by id. Left out: one-off machines ({@code
   * config.auto_destroy}: release commands, {@code fly machine run --rm}, consoles), which serve no
   * traffic and go away on their own, and machines being destroyed that were never updated for
   * {@code flagHash}.
   */
  static List<FlyMachine> managed(List<FlyMachine> all, String flagHash) {
    return all.stream()
        .filter(m -> !m.config().path("auto_destroy").asBoolean(false))
        .filter(m -> !(isGone(m) && (flagHash == null || !flagHash.equals(m.metadata(HASH_KEY)))))
        .sorted(Comparator.comparing(FlyMachine::id))
        .toList();
  }

  /**
   * The next machine to update, one at a time: none while a machine already updated for {@code
   * flagHash} has not completed (or failed), otherwise the first machine without the hash. A
   * machine carrying the hash is never chosen again, which makes restarts idempotent.
   */
  static Optional<FlyMachine> next(List<FlyMachine> managed, String flagHash) {
    boolean inFlight =
        managed.stream()
            .filter(m -> flagHash.equals(m.metadata(HASH_KEY)))
            .anyMatch(m -> !state(m, flagHash).complete());
    if (inFlight) {
      return Optional.empty();
    }
    return managed.stream().filter(m -> !flagHash.equals(m.metadata(HASH_KEY))).findFirst();
  }

  /**
   * The update input for {@code m}: its full current config with the operator's metadata added,
   * {@code min_secrets_version} when known, and {@code skip_launch} for a resting machine that Fly
   * starts on demand (as flyctl does), so the update does not wake it.
   */
  static ObjectNode updateInput(
      FlyMachine m, String flagHash, Instant now, OptionalLong minSecretsVersion) {
    ObjectNode config = m.config().deepCopy();
    ObjectNode metadata =
        config.get("metadata") instanceof ObjectNode o ? o : config.putObject("metadata");
    metadata.put(HASH_KEY, flagHash);
    metadata.put(RESTARTED_AT_KEY, now.toString());
    if (m.instanceId() != null) {
      metadata.put(REPLACED_INSTANCE_KEY, m.instanceId());
    } else {
      metadata.remove(REPLACED_INSTANCE_KEY);
    }
    if (minSecretsVersion.isPresent()) {
      metadata.put(SECRETS_VERSION_KEY, Long.toString(minSecretsVersion.getAsLong()));
    } else {
      metadata.remove(SECRETS_VERSION_KEY);
    }
    ObjectNode input = FlyApi.JSON.createObjectNode();
    input.set("config", config);
    if (m.region() != null) {
      input.put("region", m.region());
    }
    if (RESTING_STATES.contains(m.state()) && startsOnDemand(m.config())) {
      input.put("skip_launch", true);
    }
    minSecretsVersion.ifPresent(v -> input.put("min_secrets_version", v));
    return input;
  }

  /**
   * The secrets version recorded by machines already updated for {@code flagHash}: a later
   * reconcile has no memory of the version the write returned, but the world does.
   */
  static OptionalLong recordedSecretsVersion(List<FlyMachine> machines, String flagHash) {
    return machines.stream()
        .filter(m -> flagHash.equals(m.metadata(HASH_KEY)))
        .map(m -> m.metadata(SECRETS_VERSION_KEY))
        .filter(v -> v != null && v.matches("\\d{1,18}"))
        .mapToLong(Long::parseLong)
        .max();
  }

  /**
   * One machine's rollout for {@code flagHash}:
   *
   * <ul>
   *   <li>Pending: not updated for this hash yet.
   *   <li>Failed: updated, then failed or destroyed.
   *   <li>RollingOut: the update has not replaced the old instance yet, the machine is not started,
   *       or it has configured health checks of which none reported yet or one is not passing.
   *   <li>Complete: started with every reported check passing (no configured checks: started is
   *       enough); or resting (stopped, suspended) after the update when Fly starts it on demand,
   *       since it boots with the new secret on its next start.
   * </ul>
   */
  static WorkloadState state(FlyMachine m, String flagHash) {
    String hash = m.metadata(HASH_KEY);
    String restartedAt = m.metadata(RESTARTED_AT_KEY);
    String replaced = m.metadata(REPLACED_INSTANCE_KEY);
    boolean updated = flagHash.equals(hash);
    boolean applied = updated && (replaced == null || !replaced.equals(m.instanceId()));

    WorkloadResult result;
    String message;
    if (!updated) {
      result = WorkloadResult.Pending;
      message =
          "not updated for this change yet"
              + ("failed".equals(m.state())
                  ? " (machine is failed; the update relaunches it)"
                  : "");
    } else if (FAILED_STATES.contains(m.state())) {
      result = WorkloadResult.Failed;
      message = "machine is " + m.state() + " after the update";
    } else if (!applied) {
      result = WorkloadResult.RollingOut;
      message = "update not applied yet (still instance " + m.instanceId() + ")";
    } else if ("started".equals(m.state())) {
      Optional<String> unhealthy = unhealthy(m);
      result = unhealthy.isPresent() ? WorkloadResult.RollingOut : WorkloadResult.Complete;
      message = unhealthy.orElse(null);
    } else if (RESTING_STATES.contains(m.state()) && startsOnDemand(m.config())) {
      result = WorkloadResult.Complete;
      message = null;
    } else {
      result = WorkloadResult.RollingOut;
      message = "machine is " + (m.state() == null ? "in an unknown state" : m.state());
    }
    boolean ready = result == WorkloadResult.Complete && "started".equals(m.state());
    return new WorkloadState(
        "Machine",
        m.id(),
        hash,
        restartedAt,
        null,
        1,
        applied ? 1 : 0,
        ready ? 1 : 0,
        result,
        message);
  }

  /** Why a started machine is not healthy yet, by flyctl's rule; empty when it is. */
  private static Optional<String> unhealthy(FlyMachine m) {
    int configured = configuredChecks(m.config());
    if (configured == 0) {
      return Optional.empty();
    }
    if (m.checks().isEmpty()) {
      return Optional.of(
          "started; waiting for the first result of " + configured + " configured health checks");
    }
    List<FlyMachine.CheckStatus> failing =
        m.checks().stream().filter(c -> !"passing".equals(c.status())).toList();
    if (failing.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "health checks not passing: "
            + failing.stream()
                .map(c -> c.name() + " " + c.status())
                .collect(Collectors.joining(", ")));
  }

  /** Checks in {@code config.checks} (a map) plus those under each {@code config.services[]}. */
  static int configuredChecks(JsonNode config) {
    int count = config.path("checks").size();
    for (JsonNode service : config.path("services")) {
      count += service.path("checks").size();
    }
    return count;
  }

  /**
   * Whether Fly may keep this machine stopped and start it on demand: a standby, or a service with
   * autostop or autostart (flyctl {@code skipLaunch}). {@code autostop} is a boolean in older
   * configs and "off", "stop" or "suspend" in newer ones.
   */
  static boolean startsOnDemand(JsonNode config) {
    if (config.path("standbys").size() > 0) {
      return true;
    }
    for (JsonNode service : config.path("services")) {
      JsonNode autostop = service.path("autostop");
      boolean stops =
          autostop.isBoolean()
              ? autostop.asBoolean()
              : autostop.isTextual() && !"off".equals(autostop.asText());
      if (stops || service.path("autostart").asBoolean(false)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isGone(FlyMachine m) {
    return "destroying".equals(m.state()) || "destroyed".equals(m.state());
  }
}
