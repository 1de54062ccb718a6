package io.cachemode.operator.targets.fly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cachemode.operator.api.WorkloadResult;
import io.cachemode.operator.targets.WorkloadState;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which Fly machines take part in a rollout, which ones may be updated next, what the update sends,
 * and whether a machine finished rolling out for a change. Pure: reads only the machines it is
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

  /** "true" when the update was sent with {@code skip_launch}, so it did not start the machine. */
  static final String SKIPPED_LAUNCH_KEY = "cachemode_skipped_launch";

  /**
   * Process groups of machines that serve no traffic and come and go on their own (fly-go {@code
   * machine_types.go}: release command, console, test machine); flyctl leaves them out of a roll
   * ({@code ListFlyAppsMachines}).
   */
  private static final Set<String> ONE_OFF_GROUPS =
      Set.of("fly_app_release_command", "fly_app_console", "fly_app_test_machine_command");

  /**
   * States in which flyctl launches the machine after an update; in any other state it sends {@code
   * skip_launch} (flyctl {@code internal/command/deploy/machines_launchinput.go} {@code
   * shouldSkipLaunch}).
   */
  private static final Set<String> LAUNCHED_STATES = Set.of("started", "starting", "failed");

  /** States a machine updated with {@code skip_launch} rests in: {@code created} per the docs. */
  private static final Set<String> RESTING_STATES = Set.of("stopped", "suspended", "created");

  private static final Set<String> FAILED_STATES = Set.of("failed", "destroying", "destroyed");

  private MachineRules() {}

  /**
   * The machines a rollout covers, ordered by id. Left out: one-off machines ({@code
   * config.auto_destroy}: {@code fly machine run --rm}; the release command, console and test
   * machine process groups), which serve no traffic, and machines being destroyed that were never
   * updated for {@code flagHash} (destroyed ones the API hides unless asked, {@code
   * include_deleted}).
   */
  static List<FlyMachine> managed(List<FlyMachine> all, String flagHash) {
    return all.stream()
        .filter(m -> !m.config().path("auto_destroy").asBoolean(false))
        .filter(m -> !ONE_OFF_GROUPS.contains(processGroup(m)))
        .filter(m -> !"release_command".equals(m.metadata("process_group")))
        .filter(m -> !(isGone(m) && (flagHash == null || !flagHash.equals(m.metadata(HASH_KEY)))))
        .sorted(Comparator.comparing(FlyMachine::id))
        .toList();
  }

  /** Whether {@code m} was updated for {@code change} (hash and, when known, secrets version). */
  static boolean carries(FlyMachine m, Change change) {
    if (!change.writeOnRecord() || !change.flagHash().equals(m.metadata(HASH_KEY))) {
      return false;
    }
    if (change.minSecretsVersion().isEmpty()) {
      return true;
    }
    String recorded = m.metadata(SECRETS_VERSION_KEY);
    return recorded != null
        && recorded.matches("\\d{1,18}")
        && Long.parseLong(recorded) >= change.minSecretsVersion().getAsLong();
  }

  /**
   * The machines that may be updated now, in order: none while a machine already updated for the
   * change has not completed (one at a time, like a rolling deploy with one machine unavailable),
   * otherwise every machine that does not carry the change and can be updated. A machine carrying
   * it is never chosen again, which makes restarts idempotent.
   */
  static List<FlyMachine> candidates(List<FlyMachine> managed, Change change) {
    boolean inFlight =
        managed.stream()
            .filter(m -> carries(m, change))
            .anyMatch(m -> !state(m, change, null).complete());
    if (inFlight) {
      return List.of();
    }
    return managed.stream()
        .filter(m -> !carries(m, change))
        .filter(m -> m.notUpdatable().isEmpty())
        .toList();
  }

  /**
   * Whether flyctl would skip launching {@code m} on update: it launches only machines that are
   * started, starting or failed ({@code shouldSkipLaunch}), so a machine someone stopped stays
   * stopped.
   */
  static boolean skipLaunch(FlyMachine m) {
    return !LAUNCHED_STATES.contains(m.state());
  }

  /**
   * The update request for {@code m} (OpenAPI {@code UpdateMachineRequest}): its full current
   * config with the operator's metadata added, {@code region}, {@code current_version} (its
   * instance id: "The latest instance_id value of the Machine", superfly/docs {@code
   * machines/api/machines-resource}), {@code skip_launch} by flyctl's rule, and {@code
   * min_secrets_version} when known, so it boots with at least the operator's write.
   */
  static ObjectNode updateInput(FlyMachine m, Change change, Instant now) {
    ObjectNode config = m.config().deepCopy();
    ObjectNode metadata =
        config.get("metadata") instanceof ObjectNode o ? o : config.putObject("metadata");
    metadata.put(HASH_KEY, change.flagHash());
    metadata.put(RESTARTED_AT_KEY, now.toString());
    putOrRemove(metadata, REPLACED_INSTANCE_KEY, m.instanceId());
    putOrRemove(
        metadata,
        SECRETS_VERSION_KEY,
        change.minSecretsVersion().isPresent()
            ? Long.toString(change.minSecretsVersion().getAsLong())
            : null);
    boolean skipLaunch = skipLaunch(m);
    putOrRemove(metadata, SKIPPED_LAUNCH_KEY, skipLaunch ? "true" : null);
    ObjectNode input = FlyApi.JSON.createObjectNode();
    input.set("config", config);
    if (m.region() != null) {
      input.put("region", m.region());
    }
    if (m.instanceId() != null) {
      input.put("current_version", m.instanceId());
    }
    if (skipLaunch) {
      input.put("skip_launch", true);
    }
    change.minSecretsVersion().ifPresent(v -> input.put("min_secrets_version", v));
    return input;
  }

  /**
   * One machine's rollout for {@code change}; {@code note} says why the last attempt to update it
   * did not go through (a lease held by someone else, a conflict, a refusal), or is null.
   *
   * <ul>
   *   <li>Skipped: not updated, and cannot be ({@link FlyMachine#notUpdatable()}); the roll goes on
   *       without it.
   *   <li>Pending: not updated for this change yet.
   *   <li>Failed: updated, then failed or destroyed.
   *   <li>RollingOut: the update has not replaced the old instance yet, the machine is not started,
   *       or it has configured health checks of which none reported yet or one is not passing.
   *   <li>Complete: started with every reported check passing (no configured checks: started is
   *       enough); updated with {@code skip_launch} and resting ({@code created}, stopped,
   *       suspended), as it was before; or resting after the update when Fly starts it on demand,
   *       since it boots with the new secret on its next start.
   * </ul>
   */
  static WorkloadState state(FlyMachine m, Change change, String note) {
    boolean updated = carries(m, change);
    String replaced = m.metadata(REPLACED_INSTANCE_KEY);
    boolean applied = updated && (replaced == null || !replaced.equals(m.instanceId()));

    WorkloadResult result;
    String message;
    Optional<String> notUpdatable = m.notUpdatable();
    if (!updated && notUpdatable.isPresent()) {
      result = WorkloadResult.Skipped;
      message =
          "skipped: "
              + notUpdatable.get()
              + "; the operator does not update it, so it keeps its old value until it is updated"
              + " by hand once its host is back";
    } else if (!updated) {
      result = WorkloadResult.Pending;
      message = note != null ? note : pendingReason(m, change);
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
    } else if (RESTING_STATES.contains(m.state())
        && ("true".equals(m.metadata(SKIPPED_LAUNCH_KEY)) || startsOnDemand(m.config()))) {
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
        updated ? change.flagHash() : null,
        updated ? m.metadata(RESTARTED_AT_KEY) : null,
        null,
        1,
        applied ? 1 : 0,
        ready ? 1 : 0,
        result,
        message);
  }

  private static String pendingReason(FlyMachine m, Change change) {
    String failed =
        "failed".equals(m.state()) ? " (machine is failed; the update relaunches it)" : "";
    if (!change.writeOnRecord()) {
      return "no write of the operator is on record, so what it booted with is unknown; it is"
          + " updated to boot with the operator's write"
          + failed;
    }
    if (change.flagHash().equals(m.metadata(HASH_KEY))) {
      return "updated for this value before the operator's latest write (secrets version "
          + change.minSecretsVersion().getAsLong()
          + "), so it is updated again to boot with it"
          + failed;
    }
    return "not updated for this change yet" + failed;
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
   * autostop or autostart. {@code autostop} is a boolean in older configs and "off", "stop" or
   * "suspend" in newer ones (OpenAPI {@code fly.MachineService.autostop}).
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

  private static String processGroup(FlyMachine m) {
    String group = m.metadata("fly_process_group");
    return group == null ? "" : group;
  }

  private static void putOrRemove(ObjectNode metadata, String key, String value) {
    if (value == null) {
      metadata.remove(key);
    } else {
      metadata.put(key, value);
    }
  }

  private static boolean isGone(FlyMachine m) {
    return "destroying".equals(m.state()) || "destroyed".equals(m.state());
  }
}
