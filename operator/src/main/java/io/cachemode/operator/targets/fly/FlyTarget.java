package io.cachemode.operator.targets.fly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cachemode.operator.flag.FlagLocation;
import io.cachemode.operator.targets.FlagReading;
import io.cachemode.operator.targets.SecretVersion;
import io.cachemode.operator.targets.Target;
import io.cachemode.operator.targets.TargetException;
import io.cachemode.operator.targets.WorkloadState;
import io.cachemode.operator.targets.WriteReceipt;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import okhttp3.OkHttpClient;

/**
 * A flag stored as a Fly.io app secret, read by the app's machines through the Fly Machines API.
 * Like the Kubernetes target, an instance lives for one reconcile; what must outlive it is kept in
 * the world (machine metadata), never in memory.
 *
 * <ul>
 *   <li><b>Read.</b> {@code GET /v1/apps/{app}/secrets?show_secrets=true}. Fly lists a 16-hex
 *       digest per secret whose algorithm is unknown (reference §5), so the value cannot be
 *       inferred from it. When the secret is absent the flag reads as missing; when it is present
 *       but the token may not read values, reading throws and {@link #validate()} reports {@code
 *       FlySecretsUnreadable}: guessing would risk restarting the app for nothing or, worse,
 *       reporting a digest-like value as fine.
 *   <li><b>Write.</b> {@code POST /v1/apps/{app}/secrets} with only the flag key; the returned
 *       secrets version becomes the update's {@code min_secrets_version}.
 *   <li><b>Claim.</b> Nothing to do: Fly secrets carry no labels, and ownership of the key is
 *       decided in the cluster (one CacheMode per location).
 *   <li><b>Restart.</b> Fly machines pick up secrets only when updated, so each machine is updated
 *       (not {@code /restart}ed) with its full current config plus metadata {@code
 *       cachemode_flag_hash}, {@code cachemode_restarted_at}, {@code cachemode_replaced_instance}
 *       and {@code cachemode_secrets_version}, the way flyctl rolls machines for new secrets. The
 *       roll is non-blocking and one machine at a time: each call updates at most one machine, and
 *       only when every machine already updated for the hash has completed. A reconcile thread
 *       never waits on Fly, at most one update per machine is sent per call (Fly allows about one
 *       request per second per action and machine), and a machine carrying the hash is never
 *       updated again. The reconciler has to come back while the rollout is in progress: Fly has no
 *       watch, so {@link #pollInterval()} asks for a look every {@link #POLL_INTERVAL}.
 *   <li><b>Rollout.</b> Per machine, see {@link MachineRules#state}.
 * </ul>
 *
 * <p>The API token is only ever sent as a header; messages name the app, the key and the HTTP
 * status, never the token.
 */
public final class FlyTarget implements Target {
  /**
   * How often a reconcile should look at the machines again while a rollout is in progress. Roughly
   * flyctl's health-check polling, and well within the Get Machine rate limit.
   */
  public static final Duration POLL_INTERVAL = Duration.ofSeconds(10);

  private final FlyApi api;
  private final String app;
  private final String key;

  /** Machines as last listed in this reconcile; dropped after an update. */
  private List<FlyMachine> machines;

  /** The app's secrets listing as last read in this reconcile; dropped after a write. */
  private JsonNode secrets;

  /** The secrets version the write in this reconcile returned, when there was one. */
  private OptionalLong writtenVersion = OptionalLong.empty();

  /**
   * @param apiUrl the Machines API base URL, e.g. {@code https://api.machines.dev}
   * @param token a Fly API token ({@code fly tokens deploy}); a macaroon is sent as {@code FlyV1}
   * @throws IllegalArgumentException when {@code apiUrl} is not an http(s) URL
   */
  public FlyTarget(OkHttpClient http, String apiUrl, String app, String key, String token) {
    this.api = new FlyApi(http, apiUrl, app, token);
    this.app = app;
    this.key = key;
  }

  @Override
  public FlagLocation location() {
    return FlagLocation.flyApp(app, key);
  }

  @Override
  public List<ReferenceProblem> validate() {
    List<FlyMachine> all;
    try {
      all = machines();
    } catch (FlyApiException e) {
      if (e.status() == 404) {
        return List.of(
            new ReferenceProblem(
                "AppNotFound", "spec.target.fly.app: Fly app " + app + " not found"));
      }
      if (e.unauthorized()) {
        return List.of(
            new ReferenceProblem(
                "FlyUnauthorized",
                "spec.target.fly.tokenSecretRef: the Fly API refused the token for app "
                    + app
                    + " (HTTP "
                    + e.status()
                    + "); use a token that may manage the app's machines and secrets"
                    + " (fly tokens deploy)"));
      }
      throw e;
    }
    List<ReferenceProblem> problems = new ArrayList<>();
    if (MachineRules.managed(all, null).isEmpty()) {
      problems.add(
          new ReferenceProblem(
              "NoMachines",
              "spec.target.fly.app: Fly app "
                  + app
                  + " has no machines to update (deploy it first; one-off machines do not count)"));
    }
    try {
      if (secret().map(s -> !s.hasNonNull("value")).orElse(false)) {
        problems.add(new ReferenceProblem("FlySecretsUnreadable", unreadable()));
      }
    } catch (FlyApiException e) {
      if (!e.unauthorized()) {
        throw e;
      }
      problems.add(
          new ReferenceProblem(
              "FlyUnauthorized",
              "spec.target.fly.tokenSecretRef: the Fly API refused to list the secrets of app "
                  + app
                  + " (HTTP "
                  + e.status()
                  + "); use a token that may read and set them"));
    }
    return problems;
  }

  @Override
  public FlagReading readFlag() {
    Optional<JsonNode> s = secret();
    if (s.isEmpty()) {
      return FlagReading.of(Optional.empty());
    }
    if (!s.get().hasNonNull("value")) {
      throw new TargetException(unreadable());
    }
    return FlagReading.of(Optional.of(s.get().get("value").asText()));
  }

  @Override
  public void claim() {
    // Fly secrets have no labels or annotations to mark them managed.
  }

  @Override
  public boolean release() {
    return false; // Fly secrets have no labels or annotations to remove.
  }

  @Override
  public WriteReceipt writeFlag(String canonicalValue, Instant now) {
    ObjectNode body = FlyApi.JSON.createObjectNode();
    body.putObject("values").put(key, canonicalValue);
    JsonNode reply = api.setSecrets(body);
    secrets = null;
    JsonNode version = reply.path("version");
    writtenVersion =
        version.canConvertToLong() && version.asLong() > 0
            ? OptionalLong.of(version.asLong())
            : OptionalLong.empty();
    return new WriteReceipt(
        canonicalValue,
        now.toString(),
        new SecretVersion(
            null, null, writtenVersion.isPresent() ? writtenVersion.getAsLong() : null));
  }

  @Override
  public List<String> restart(String flagHash, Instant now) {
    List<FlyMachine> managed = MachineRules.managed(machines(), flagHash);
    Optional<FlyMachine> next = MachineRules.next(managed, flagHash);
    if (next.isEmpty()) {
      return List.of();
    }
    // The list may be seconds old; the update must clone the config as it is now.
    FlyMachine current = FlyMachine.from(api.machine(next.get().id()));
    if (flagHash.equals(current.metadata(MachineRules.HASH_KEY))) {
      machines = null;
      return List.of();
    }
    OptionalLong version =
        writtenVersion.isPresent()
            ? writtenVersion
            : MachineRules.recordedSecretsVersion(managed, flagHash);
    api.updateMachine(current.id(), MachineRules.updateInput(current, flagHash, now, version));
    machines = null;
    return List.of("Machine " + current.id());
  }

  @Override
  public List<WorkloadState> rolloutState(String flagHash) {
    return MachineRules.managed(machines(), flagHash).stream()
        .map(m -> MachineRules.state(m, flagHash))
        .toList();
  }

  private List<FlyMachine> machines() {
    if (machines == null) {
      machines = api.machines().stream().map(FlyMachine::from).toList();
    }
    return machines;
  }

  private Optional<JsonNode> secret() {
    if (secrets == null) {
      secrets = api.secrets();
    }
    for (JsonNode s : secrets.path("secrets")) {
      if (key.equals(s.path("name").asText())) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  private String unreadable() {
    return "spec.target.fly.tokenSecretRef: the Fly token cannot read secret values of app "
        + app
        + " (show_secrets): "
        + key
        + " exists but Fly returned only its digest, and a digest cannot be mapped to a value;"
        + " use a token that may read secret values";
  }

  @Override
  public Optional<Duration> pollInterval() {
    return Optional.of(POLL_INTERVAL);
  }
}
