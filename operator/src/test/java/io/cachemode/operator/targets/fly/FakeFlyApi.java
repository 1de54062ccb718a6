package io.cachemode.operator.targets.fly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A stateful stand-in for the Fly Machines API endpoints the target uses, following Fly's published
 * contract. Each behaviour names its source; "inference" marks what the sources imply without
 * saying it, and "not documented" what the fake had to choose. Sources, as read for this project:
 * the Machines OpenAPI document (alchemy-run/distilled-spec-fly-io {@code specs/openapi.json},
 * mirror of docs.machines.dev), superfly/fly-go (@22d6e51), superfly/flyctl (@ad0172f) and
 * superfly/docs (@5c22c8c).
 *
 * <ul>
 *   <li><b>Secrets are write-only.</b> Listings carry name, digest, created_at and updated_at,
 *       never a value, even with {@code show_secrets=true} (docs {@code apps/secrets.html.markerb}:
 *       "The API servers can only encrypt; they cannot decrypt secret values", "we do not allow
 *       read access to the plain-text values of secrets"). Digests are 16 opaque hex characters,
 *       the current format (docs {@code languages-and-frameworks/wordpress.html.markerb}); the
 *       algorithm is not published, so the fake's is its own.
 *   <li><b>Versions.</b> Every write returns the app's new secrets version ({@code
 *       AppSecretsUpdateResp.version}; fly-go {@code secrets_types.go}). A listing that does not
 *       ask for at least that version ({@code min_version} in the OpenAPI, {@code version} in
 *       fly-go {@code ListAppSecrets}) may be served stale: the fake serves the previous snapshot
 *       for the next {@link #readLag} unversioned reads after a write (inference: why the parameter
 *       and flyctl's stored "minvers", {@code internal/appsecrets/secrets.go}, exist). A machine
 *       boots with the secrets of at least its update's {@code min_secrets_version}; without one it
 *       may boot with the stale snapshot too (same inference; flyctl always sends it, {@code
 *       machines_launchinput.go}).
 *   <li><b>Leases</b> ({@code POST/GET/DELETE .../lease}; OpenAPI {@code Lease}, docs {@code
 *       machines/api/machines-resource}): 201 {@code {"status":"success","data":{nonce, expires_at,
 *       owner, description, version}}} (docs {@code
 *       reference/machines/_machines_lease_create_resp.erb}); held by someone else: 409 {@code
 *       {"status":"error","message":"machine ID … lease currently held by …, expires at
 *       …","code":"invalid"}} (docs {@code reference/machines/_lease_resp.erb}); the ttl from the
 *       body ({@code CreateLeaseRequest}) or the query (fly-go {@code AcquireLease}); releasing
 *       needs the nonce (OpenAPI), an unknown lease is "lease not found" (flyctl {@code
 *       internal/machine/lease.go}). An update of a machine leased by someone else fails (docs: "If
 *       the Machine is leased, and you don't provide this header, the request to update the Machine
 *       will fail"; the status code is not documented, the fake uses 409 with the lease message).
 *   <li><b>Updates</b> ({@code UpdateMachineRequest}): the full config is required (docs: "we don't
 *       support partial updates"); {@code current_version} must be the machine's instance id (docs:
 *       "The latest instance_id value of the Machine"), else 412 (not documented for updates; the
 *       OpenAPI answers 412 for a stale {@code machine_version} on the metadata endpoints); a
 *       {@code min_secrets_version} above the app's version is refused with 412 (not documented; a
 *       third-party client expects "min_secrets_version N is not yet available"). Each update makes
 *       a new instance id, resets checks, and replaces a running machine ({@code replacing} until
 *       {@link #bootReplacedMachines()}); with {@code skip_launch} the new version stays {@code
 *       created} (docs {@code machines/machine-states.html.markerb}).
 *   <li><b>Machines</b> (OpenAPI {@code Machine}): {@code image_ref} is an object; {@code
 *       host_status} ok/unknown/unreachable, and a machine whose host is not ok comes with {@code
 *       incomplete_config} instead of {@code config} (fly-go {@code machine_types.go}); Fly inserts
 *       {@code bg_deployments_compat*} checks for old flyctl versions (fly-go {@code
 *       RemoveCompatChecks}; their status is not documented, the fake reports them critical so
 *       counting them would show); destroyed machines are listed only with {@code
 *       include_deleted=true} (OpenAPI {@code Machines_list}).
 *   <li><b>Errors</b> are JSON {@code {"error": …}} (OpenAPI {@code ErrorResponse}, which also has
 *       {@code status}) or, for leases, {@code {"status","message","code"}} as above; a 429 carries
 *       {@code Retry-After} when {@link #rateLimit} sets one (the limits: docs {@code
 *       machines/api/working-with-machines-api.html.markerb}).
 * </ul>
 *
 * <p>Test devices, not Fly behaviour: error bodies for a refused token quote the Authorization
 * header (a worst case for redaction), faults can be queued, hooks run when a lease is asked for,
 * and every request is logged with its response.
 */
public final class FakeFlyApi extends Dispatcher {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String OPERATOR_OWNER = "cachemode@example.com";
  private static final Pattern MACHINE =
      Pattern.compile("/v1/apps/([^/]+)/machines/([^/]+)(/lease)?");
  private static final DateTimeFormatter LEASE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss '+0000 UTC'").withZone(ZoneOffset.UTC);

  /** One request as the server saw it, and what it answered. */
  public record Call(
      String method,
      String path,
      HttpUrl url,
      String authorization,
      String nonce,
      String body,
      int status,
      String response) {
    JsonNode json() {
      return parse(body);
    }

    String query(String name) {
      return url.queryParameter(name);
    }
  }

  private record Secret(String value, String digest, String createdAt, String updatedAt) {}

  private record LeaseState(String nonce, String owner, Instant expiresAt, String version) {}

  private record Fault(Predicate<RecordedRequest> when, MockResponse response) {}

  private final String app;
  private final String authorization;
  private boolean appExists = true;
  private Instant now = Instant.parse("2026-11-29T03:00:00Z");
  private boolean realClock = true;

  /** Secrets by version: every write adds a snapshot. */
  private final TreeMap<Long, Map<String, Secret>> snapshots = new TreeMap<>();

  private long secretsVersion;
  private int readLag;
  private int staleReadsLeft;
  private final Map<String, ObjectNode> machines = new LinkedHashMap<>();
  private final Map<String, LeaseState> leases = new HashMap<>();
  private final Map<String, Long> bootedVersion = new HashMap<>();
  private final Map<String, Runnable> onLease = new HashMap<>();
  private final Map<String, Runnable> onUpdate = new HashMap<>();
  private final List<Call> calls = new ArrayList<>();
  private final Deque<Fault> faults = new ArrayDeque<>();
  private int counter;

  /**
   * @param authorization the exact Authorization header the server accepts; anything else gets 401
   */
  public FakeFlyApi(String app, String authorization) {
    this.app = app;
    this.authorization = authorization;
    snapshots.put(0L, Map.of());
  }

  // ---- the world, set up and changed by tests (never through the API) -------------------------

  synchronized FakeFlyApi withoutApp() {
    appExists = false;
    return this;
  }

  /** Uses a fixed clock from now on, moved only by {@link #advance}. */
  synchronized FakeFlyApi fixedClock() {
    realClock = false;
    return this;
  }

  synchronized void advance(Duration d) {
    now = now().plus(d);
    realClock = false;
  }

  /** Unversioned listings (and boots without min_secrets_version) served stale after each write. */
  synchronized FakeFlyApi readLag(int reads) {
    readLag = reads;
    return this;
  }

  /** A secret written by someone else (flyctl, the dashboard), staged: no machine is updated. */
  public synchronized FakeFlyApi secret(String name, String value) {
    write(Map.of(name, value));
    return this;
  }

  /** {@code fly secrets unset NAME} by someone else. */
  synchronized void deleteSecret(String name) {
    Map<String, String> values = new HashMap<>();
    values.put(name, null);
    write(values);
  }

  /**
   * {@code fly secrets set NAME=VALUE} by someone else: the write, then every started machine
   * updated with its cloned config (metadata kept) and {@code min_secrets_version}, as flyctl rolls
   * them ({@code internal/command/deploy/machines_launchinput.go} {@code launchInputForRestart}).
   */
  synchronized void flySecretsSet(String name, String value) {
    long version = write(Map.of(name, value));
    for (String id : machines.keySet()) {
      ObjectNode m = machines.get(id);
      if (m.has("config") && m.path("state").asText().equals("started")) {
        m.put("instance_id", nextInstance());
        boot(id, version);
      }
    }
  }

  /**
   * {@code fly deploy} of a new image on one machine by someone else: config cloned with the new
   * image and release metadata (other metadata kept, flyctl {@code launchInputForUpdate}), a new
   * instance, booted with the latest secrets.
   */
  synchronized void deploy(String id, String image) {
    ObjectNode m = machines.get(id);
    ObjectNode config = (ObjectNode) m.get("config");
    config.put("image", image);
    ObjectNode md =
        config.get("metadata") instanceof ObjectNode o ? o : config.putObject("metadata");
    md.put("fly_release_version", Integer.toString(++counter));
    m.set("image_ref", imageRef(image));
    m.put("instance_id", nextInstance());
    m.putArray("checks");
    boot(id, secretsVersion);
  }

  public synchronized String secretValue(String name) {
    Secret s = snapshots.lastEntry().getValue().get(name);
    return s == null ? null : s.value();
  }

  synchronized long secretsVersion() {
    return secretsVersion;
  }

  /** The value machine {@code id} booted with (its environment), null if it never booted. */
  public synchronized String runningValue(String id, String name) {
    Long v = bootedVersion.get(id);
    if (v == null) {
      return null;
    }
    Secret s = snapshots.floorEntry(v).getValue().get(name);
    return s == null ? null : s.value();
  }

  synchronized String digestOf(String name) {
    return snapshots.lastEntry().getValue().get(name).digest();
  }

  synchronized String updatedAtOf(String name) {
    return snapshots.lastEntry().getValue().get(name).updatedAt();
  }

  /** Adds a machine with the given state and full config (JSON), booted with the latest secrets. */
  public synchronized FakeFlyApi machine(String id, String state, String configJson) {
    ObjectNode m = JSON.createObjectNode();
    m.put("id", id);
    m.put("name", "machine-" + id);
    m.put("state", state);
    m.put("region", "ams");
    m.put("instance_id", nextInstance());
    m.put("private_ip", "fdaa:0:1::" + (machines.size() + 1));
    m.put("host_status", "ok");
    ObjectNode config = (ObjectNode) parse(configJson);
    m.set("config", config);
    m.set("image_ref", imageRef(config.path("image").asText()));
    m.putArray("checks");
    m.putArray("events");
    m.put("created_at", now().toString());
    machines.put(id, m);
    if (!"created".equals(state)) {
      bootedVersion.put(id, secretsVersion);
    }
    return this;
  }

  /**
   * The machine's host stops answering: {@code host_status} unreachable and only an {@code
   * incomplete_config} (image and metadata) in place of {@code config}.
   */
  synchronized FakeFlyApi unreachable(String id) {
    ObjectNode m = machines.get(id);
    ObjectNode config = (ObjectNode) m.remove("config");
    ObjectNode partial = JSON.createObjectNode();
    partial.put("image", config.path("image").asText());
    if (config.has("metadata")) {
      partial.set("metadata", config.get("metadata"));
    }
    m.set("incomplete_config", partial);
    m.put("host_status", "unreachable");
    m.put("state", "unknown");
    return this;
  }

  /** A destroyed machine: hidden from listings unless {@code include_deleted=true}. */
  synchronized void destroy(String id) {
    machines.get(id).put("state", "destroyed");
  }

  public synchronized List<String> machineIds() {
    return List.copyOf(machines.keySet());
  }

  public synchronized ObjectNode machine(String id) {
    return machines.get(id).deepCopy();
  }

  public synchronized String metadata(String id, String key) {
    return machines.get(id).path("config").path("metadata").path(key).asText(null);
  }

  synchronized void setState(String id, String state) {
    machines.get(id).put("state", state);
  }

  /** Every machine an update is replacing finishes booting, as Fly's would after a while. */
  public synchronized void bootReplacedMachines() {
    machines.values().stream()
        .filter(m -> m.path("state").asText().equals("replacing"))
        .forEach(m -> m.put("state", "started"));
  }

  /** Replaces the machine's check results with {@code name:status} pairs. */
  public synchronized void setChecks(String id, String... nameStatus) {
    ArrayNode checks = machines.get(id).putArray("checks");
    for (String ns : nameStatus) {
      String[] p = ns.split(":");
      checks
          .addObject()
          .put("name", p[0])
          .put("status", p[1])
          .put("output", "output of " + p[0])
          .put("updated_at", now().toString());
    }
  }

  /** Someone else (a deploy in progress) holds the machine's lease for {@code ttl}. */
  public synchronized FakeFlyApi leaseHeldBy(String id, String owner, Duration ttl) {
    leases.put(
        id,
        new LeaseState(
            "foreign" + (++counter),
            owner,
            now().plus(ttl),
            machines.get(id).path("instance_id").asText()));
    return this;
  }

  /** The other holder releases its lease. */
  public synchronized void releaseForeignLease(String id) {
    leases.remove(id);
  }

  public synchronized boolean leased(String id) {
    LeaseState l = leases.get(id);
    return l != null && l.expiresAt().isAfter(now());
  }

  /** Runs {@code action} once, when a lease on {@code id} is next asked for, before answering. */
  synchronized void onLease(String id, Runnable action) {
    onLease.put(id, action);
  }

  /** Runs {@code action} once, when an update of {@code id} next arrives, before answering. */
  synchronized void onUpdate(String id, Runnable action) {
    onUpdate.put(id, action);
  }

  /** The next request matching {@code method} and a path ending with {@code pathEnd} fails. */
  synchronized void failNext(String method, String pathEnd, MockResponse response) {
    faults.add(
        new Fault(
            r -> r.getMethod().equals(method) && r.getRequestUrl().encodedPath().endsWith(pathEnd),
            response));
  }

  /** The next request, whatever it is, fails. */
  synchronized void failNext(MockResponse response) {
    faults.add(new Fault(r -> true, response));
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  synchronized List<Call> calls(String method, String pathPrefix) {
    return calls.stream()
        .filter(c -> c.method().equals(method) && c.path().startsWith(pathPrefix))
        .toList();
  }

  /** Accepted or refused update requests for one machine ({@code POST .../machines/{id}}). */
  List<Call> updatesOf(String id) {
    return calls("POST", "/v1/apps/" + app + "/machines/" + id).stream()
        .filter(c -> c.path().equals("/v1/apps/" + app + "/machines/" + id))
        .toList();
  }

  /** Updates that Fly accepted. */
  public List<Call> acceptedUpdatesOf(String id) {
    return updatesOf(id).stream().filter(c -> c.status() == 200).toList();
  }

  List<Call> machineUpdates() {
    return calls("POST", "/v1/apps/" + app + "/machines/").stream()
        .filter(c -> !c.path().endsWith("/lease"))
        .toList();
  }

  public List<Call> secretWrites() {
    return calls("POST", "/v1/apps/" + app + "/secrets");
  }

  /** A 429 as Fly's rate limiter would send it. */
  static MockResponse rateLimit(String retryAfter) {
    MockResponse r = error(429, "rate limit exceeded");
    return retryAfter == null ? r : r.setHeader("Retry-After", retryAfter);
  }

  // ---- the API ----------------------------------------------------------------------------------

  @Override
  public synchronized MockResponse dispatch(RecordedRequest request) {
    String body = request.getBody().readString(StandardCharsets.UTF_8);
    MockResponse response = answer(request, body);
    calls.add(
        new Call(
            request.getMethod(),
            request.getRequestUrl().encodedPath(),
            request.getRequestUrl(),
            request.getHeader("Authorization"),
            request.getHeader(FlyApi.NONCE_HEADER),
            body,
            Integer.parseInt(response.getStatus().split(" ")[1]),
            response.getBody() == null ? "" : response.getBody().clone().readUtf8()));
    return response;
  }

  private MockResponse answer(RecordedRequest request, String body) {
    for (var it = faults.iterator(); it.hasNext(); ) {
      Fault f = it.next();
      if (f.when().test(request)) {
        it.remove();
        return f.response();
      }
    }
    String auth = request.getHeader("Authorization");
    if (!authorization.equals(auth)) {
      return error(401, "unauthorized: token " + auth + " is not valid");
    }
    HttpUrl url = request.getRequestUrl();
    String path = url.encodedPath();
    String appPath = "/v1/apps/" + app;
    if (!appExists || !(path.equals(appPath) || path.startsWith(appPath + "/"))) {
      return error(404, "app not found");
    }
    String method = request.getMethod();
    if (path.equals(appPath + "/secrets")) {
      return switch (method) {
        case "GET" -> ok(listing(url));
        case "POST" -> setSecrets(parse(body));
        default -> error(405, "method not allowed");
      };
    }
    if (path.equals(appPath + "/machines") && method.equals("GET")) {
      boolean deleted = "true".equals(url.queryParameter("include_deleted"));
      ArrayNode list = JSON.createArrayNode();
      machines.values().stream()
          .filter(m -> deleted || !m.path("state").asText().equals("destroyed"))
          .forEach(m -> list.add(withCompatCheck(m)));
      return ok(list);
    }
    Matcher m = MACHINE.matcher(path);
    if (!m.matches() || !machines.containsKey(m.group(2))) {
      return error(404, "machine not found");
    }
    String id = m.group(2);
    String nonce = request.getHeader(FlyApi.NONCE_HEADER);
    if (m.group(3) != null) {
      return switch (method) {
        case "POST" -> acquireLease(id, url, body);
        case "GET" -> findLease(id);
        case "DELETE" -> releaseLease(id, nonce);
        default -> error(405, "method not allowed");
      };
    }
    return switch (method) {
      case "GET" -> ok(withCompatCheck(machines.get(id)));
      case "POST" -> update(id, parse(body), nonce);
      default -> error(405, "method not allowed");
    };
  }

  private ObjectNode listing(HttpUrl url) {
    String asked = url.queryParameter("min_version");
    if (asked == null) {
      asked = url.queryParameter("version");
    }
    long version = secretsVersion;
    if (asked == null && staleReadsLeft > 0) {
      staleReadsLeft--;
      version = snapshots.lowerKey(secretsVersion);
    }
    return secretList(snapshots.floorEntry(version).getValue());
  }

  private MockResponse setSecrets(JsonNode body) {
    Map<String, String> values = new LinkedHashMap<>();
    body.path("values")
        .fields()
        .forEachRemaining(
            e -> values.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
    long version = write(values);
    ObjectNode reply = secretList(snapshots.get(version));
    reply.put("version", version);
    return ok(reply);
  }

  private long write(Map<String, String> values) {
    Map<String, Secret> next = new LinkedHashMap<>(snapshots.lastEntry().getValue());
    String at = now().truncatedTo(ChronoUnit.MILLIS).toString();
    values.forEach(
        (name, value) -> {
          if (value == null) {
            next.remove(name);
          } else {
            Secret old = next.get(name);
            next.put(
                name,
                new Secret(value, digest(name, value), old == null ? at : old.createdAt(), at));
          }
        });
    secretsVersion++;
    snapshots.put(secretsVersion, next);
    staleReadsLeft = readLag;
    return secretsVersion;
  }

  private static ObjectNode secretList(Map<String, Secret> secrets) {
    ObjectNode reply = JSON.createObjectNode();
    ArrayNode list = reply.putArray("secrets");
    secrets.forEach(
        (name, s) ->
            list.addObject()
                .put("name", name)
                .put("digest", s.digest())
                .put("created_at", s.createdAt())
                .put("updated_at", s.updatedAt()));
    return reply;
  }

  private MockResponse acquireLease(String id, HttpUrl url, String body) {
    Runnable hook = onLease.remove(id);
    if (hook != null) {
      hook.run();
    }
    LeaseState held = leases.get(id);
    if (held != null && held.expiresAt().isAfter(now())) {
      return leaseConflict(id, held);
    }
    JsonNode input = body.isBlank() ? JSON.createObjectNode() : parse(body);
    long ttl =
        input.has("ttl")
            ? input.get("ttl").asLong()
            : url.queryParameter("ttl") == null ? 30 : Long.parseLong(url.queryParameter("ttl"));
    LeaseState lease =
        new LeaseState(
            String.format("%012x", ++counter),
            OPERATOR_OWNER,
            now().plusSeconds(ttl),
            machines.get(id).path("instance_id").asText());
    leases.put(id, lease);
    return leaseReply(201, lease, input.path("description").asText(""));
  }

  private MockResponse findLease(String id) {
    LeaseState held = leases.get(id);
    if (held == null || !held.expiresAt().isAfter(now())) {
      return error(404, "lease not found");
    }
    return leaseReply(200, held, "");
  }

  private MockResponse releaseLease(String id, String nonce) {
    LeaseState held = leases.get(id);
    if (held == null || !held.expiresAt().isAfter(now())) {
      return error(404, "lease not found");
    }
    if (!held.nonce().equals(nonce)) {
      return error(400, "lease nonce does not match");
    }
    leases.remove(id);
    ObjectNode reply = JSON.createObjectNode().put("status", "success");
    reply.putObject("data").put("ok", true);
    return ok(reply);
  }

  private MockResponse update(String id, JsonNode input, String nonce) {
    Runnable hook = onUpdate.remove(id);
    if (hook != null) {
      hook.run();
    }
    ObjectNode m = machines.get(id);
    LeaseState held = leases.get(id);
    if (held != null && held.expiresAt().isAfter(now()) && !held.nonce().equals(nonce)) {
      return leaseConflict(id, held);
    }
    if (!"ok".equals(m.path("host_status").asText())) {
      return error(503, "host is " + m.path("host_status").asText() + "; try again later");
    }
    if (!(input.get("config") instanceof ObjectNode config) || !config.hasNonNull("image")) {
      return error(400, "config.image is required (a full config must be sent)");
    }
    String current = input.path("current_version").asText(null);
    if (current != null && !current.equals(m.path("instance_id").asText())) {
      return error(
          412,
          "machine version "
              + m.path("instance_id").asText()
              + " does not match current_version "
              + current);
    }
    long min = input.path("min_secrets_version").asLong(0);
    if (min > secretsVersion) {
      return error(412, "min_secrets_version " + min + " is not yet available");
    }
    m.set("config", config.deepCopy());
    m.set("image_ref", imageRef(config.path("image").asText()));
    m.put("instance_id", nextInstance());
    m.putArray("checks");
    m.put("updated_at", now().toString());
    if (input.path("skip_launch").asBoolean(false)) {
      m.put("state", "created");
    } else {
      m.put("state", "replacing");
      boot(id, Math.max(min, unpinnedBootVersion()));
    }
    return ok(withCompatCheck(m));
  }

  private MockResponse leaseConflict(String id, LeaseState held) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("status", "error")
            .put(
                "message",
                "machine ID "
                    + id
                    + " lease currently held by "
                    + held.owner()
                    + ", expires at "
                    + LEASE_TIME.format(held.expiresAt()))
            .put("code", "invalid");
    return json(409, body);
  }

  private static MockResponse leaseReply(int status, LeaseState lease, String description) {
    ObjectNode reply = JSON.createObjectNode().put("status", "success");
    reply
        .putObject("data")
        .put("nonce", lease.nonce())
        .put("expires_at", lease.expiresAt().getEpochSecond())
        .put("owner", lease.owner())
        .put("description", description)
        .put("version", lease.version());
    return json(status, reply);
  }

  /** The secrets version a boot without {@code min_secrets_version} gets: maybe a stale one. */
  private long unpinnedBootVersion() {
    return staleReadsLeft > 0 ? snapshots.lowerKey(secretsVersion) : secretsVersion;
  }

  private void boot(String id, long version) {
    bootedVersion.put(id, version);
  }

  private ObjectNode withCompatCheck(ObjectNode m) {
    ObjectNode out = m.deepCopy();
    if (out.has("config")) {
      ArrayNode checks = out.withArray("checks");
      checks
          .addObject()
          .put("name", "bg_deployments_compat_http")
          .put("status", "critical")
          .put("output", "compatibility placeholder")
          .put("updated_at", now().toString());
    }
    return out;
  }

  // ---- helpers --------------------------------------------------------------------------------

  private Instant now() {
    return realClock ? Instant.now() : now;
  }

  private String nextInstance() {
    return String.format("01JDINSTANCE%014d", ++counter);
  }

  private static ObjectNode imageRef(String image) {
    int slash = image.indexOf('/');
    String repoTag = slash < 0 ? image : image.substring(slash + 1);
    int colon = repoTag.lastIndexOf(':');
    ObjectNode ref = JSON.createObjectNode();
    ref.put("registry", slash < 0 ? "docker.io" : image.substring(0, slash));
    ref.put("repository", colon < 0 ? repoTag : repoTag.substring(0, colon));
    ref.put("tag", colon < 0 ? "latest" : repoTag.substring(colon + 1));
    ref.put("digest", "sha256:" + sha256(image));
    ref.putObject("labels");
    return ref;
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("bad JSON: " + json, e);
    }
  }

  private static MockResponse ok(JsonNode body) {
    return json(200, body);
  }

  private static MockResponse json(int status, JsonNode body) {
    return new MockResponse()
        .setResponseCode(status)
        .setHeader("Content-Type", "application/json")
        .setBody(body.toString());
  }

  static MockResponse error(int status, String message) {
    return json(status, JSON.createObjectNode().put("error", message));
  }

  /** An opaque 16-hex digest, like the ones {@code fly secrets list} shows. */
  private String digest(String name, String value) {
    return sha256(app + "/" + name + "=" + value).substring(0, 16);
  }

  private static String sha256(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
