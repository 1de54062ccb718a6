package io.cachemode.operator.targets.fly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A stateful stand-in for the Fly Machines API endpoints the target uses, answering in the shapes
 * fly-go's {@code flaps} client expects (reference sheet §4.2): app secrets with versions and
 * opaque 16-hex digests, machines with config, metadata, state, instance versions and checks, and a
 * log of every request. Error bodies echo the Authorization header back, so tests can prove the
 * token never reaches a message.
 */
final class FakeFlyApi extends Dispatcher {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern MACHINE = Pattern.compile("/v1/apps/([^/]+)/machines/([^/?]+)");

  /** One request as the server saw it. */
  record Call(String method, String path, String authorization, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (JsonProcessingException e) {
        throw new AssertionError("request body is not JSON: " + body, e);
      }
    }
  }

  private final String app;
  private final String authorization;
  private boolean appExists = true;
  private boolean showSecretValues = true;
  private final Map<String, String> secrets = new LinkedHashMap<>();
  private long secretsVersion = 1;
  private final Map<String, ObjectNode> machines = new LinkedHashMap<>();
  private final List<Call> calls = new ArrayList<>();
  private final Deque<MockResponse> faults = new ArrayDeque<>();
  private int instanceCounter;

  /**
   * @param authorization the exact Authorization header the server accepts; anything else gets 401
   */
  FakeFlyApi(String app, String authorization) {
    this.app = app;
    this.authorization = authorization;
  }

  // ---- state set-up -------------------------------------------------------------------------

  synchronized FakeFlyApi withoutApp() {
    appExists = false;
    return this;
  }

  /** Secrets listed with digests only, as for a token without read access to values. */
  synchronized FakeFlyApi hidingSecretValues() {
    showSecretValues = false;
    return this;
  }

  synchronized FakeFlyApi secret(String name, String value) {
    secrets.put(name, value);
    return this;
  }

  synchronized String secretValue(String name) {
    return secrets.get(name);
  }

  synchronized long secretsVersion() {
    return secretsVersion;
  }

  /** Adds a machine with the given state and full config (JSON). */
  synchronized FakeFlyApi machine(String id, String state, String configJson) {
    ObjectNode m = JSON.createObjectNode();
    m.put("id", id);
    m.put("name", "machine-" + id);
    m.put("state", state);
    m.put("region", "ams");
    m.put("instance_id", nextInstance());
    m.put("private_ip", "fdaa:0:1::" + machines.size());
    m.set("config", parse(configJson));
    m.put("image_ref", "registry.fly.io/" + app);
    m.putArray("checks");
    m.putArray("events");
    machines.put(id, m);
    return this;
  }

  synchronized ObjectNode machine(String id) {
    return machines.get(id).deepCopy();
  }

  synchronized void setState(String id, String state) {
    machines.get(id).put("state", state);
  }

  /** Every machine an update is replacing finishes booting, as Fly's would after a while. */
  synchronized void bootReplacedMachines() {
    machines.values().stream()
        .filter(m -> m.path("state").asText().equals("replacing"))
        .forEach(m -> m.put("state", "started"));
  }

  /** Replaces the machine's check results with {@code name:status} pairs. */
  synchronized void setChecks(String id, String... nameStatus) {
    ArrayNode checks = machines.get(id).putArray("checks");
    for (String ns : nameStatus) {
      String[] p = ns.split(":");
      checks
          .addObject()
          .put("name", p[0])
          .put("status", p[1])
          .put("output", "output of " + p[0])
          .put("updated_at", "2026-11-29T03:00:00Z");
    }
  }

  /** The next request, whatever it is, is answered with {@code response}. */
  synchronized void failNext(MockResponse response) {
    faults.add(response);
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  synchronized List<Call> calls(String method, String pathPrefix) {
    return calls.stream()
        .filter(c -> c.method().equals(method) && c.path().startsWith(pathPrefix))
        .toList();
  }

  /** Update requests for one machine ({@code POST .../machines/{id}}). */
  List<Call> updatesOf(String id) {
    return calls("POST", "/v1/apps/" + app + "/machines/" + id).stream()
        .filter(c -> c.path().equals("/v1/apps/" + app + "/machines/" + id))
        .toList();
  }

  List<Call> machineUpdates() {
    return calls("POST", "/v1/apps/" + app + "/machines/");
  }

  // ---- the API --------------------------------------------------------------------------------

  @Override
  public synchronized MockResponse dispatch(RecordedRequest request) {
    String path = request.getRequestUrl().encodedPath();
    String auth = request.getHeader("Authorization");
    String body = request.getBody().readString(StandardCharsets.UTF_8);
    calls.add(new Call(request.getMethod(), path, auth, body));
    if (!faults.isEmpty()) {
      return faults.poll();
    }
    if (!authorization.equals(auth)) {
      return error(401, "unauthorized: token " + auth + " is not valid");
    }
    String appPath = "/v1/apps/" + app;
    if (!path.startsWith("/v1/apps/")) {
      return error(404, "not found");
    }
    if (!appExists || !(path.equals(appPath) || path.startsWith(appPath + "/"))) {
      return error(404, "app not found (request had " + auth + ")");
    }
    String method = request.getMethod();
    if (path.equals(appPath + "/secrets")) {
      boolean show = "true".equals(request.getRequestUrl().queryParameter("show_secrets"));
      return switch (method) {
        case "GET" -> ok(secretList(show && showSecretValues));
        case "POST" -> setSecrets(parse(body));
        default -> error(405, "method not allowed");
      };
    }
    if (path.equals(appPath + "/machines") && method.equals("GET")) {
      ArrayNode list = JSON.createArrayNode();
      machines.values().forEach(list::add);
      return ok(list);
    }
    Matcher m = MACHINE.matcher(path);
    if (m.matches() && machines.containsKey(m.group(2))) {
      String id = m.group(2);
      return switch (method) {
        case "GET" -> ok(machines.get(id));
        case "POST" -> update(id, parse(body));
        default -> error(405, "method not allowed");
      };
    }
    return error(404, "not found");
  }

  private MockResponse setSecrets(JsonNode body) {
    body.path("values")
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isNull()) {
                secrets.remove(e.getKey());
              } else {
                secrets.put(e.getKey(), e.getValue().asText());
              }
            });
    secretsVersion++;
    ObjectNode reply = secretList(false);
    reply.put("version", secretsVersion);
    return ok(reply);
  }

  private ObjectNode secretList(boolean withValues) {
    ObjectNode reply = JSON.createObjectNode();
    ArrayNode list = reply.putArray("secrets");
    secrets.forEach(
        (name, value) -> {
          ObjectNode s = list.addObject();
          s.put("name", name);
          s.put("digest", digest(name + "=" + value));
          s.put("created_at", "2026-11-01T00:00:00Z");
          s.put("updated_at", "2026-11-29T00:00:00Z");
          if (withValues) {
            s.put("value", value);
          }
        });
    return reply;
  }

  /** Like Fly: a new instance, checks reset, started unless skip_launch. */
  private MockResponse update(String id, JsonNode input) {
    if (!(input.get("config") instanceof ObjectNode config) || !config.hasNonNull("image")) {
      return error(400, "config.image is required (a full config must be sent)");
    }
    long min = input.path("min_secrets_version").asLong(0);
    if (min > secretsVersion) {
      return error(412, "min_secrets_version " + min + " is not yet available");
    }
    ObjectNode m = machines.get(id);
    m.set("config", config.deepCopy());
    m.put("instance_id", nextInstance());
    m.putArray("checks");
    if (!input.path("skip_launch").asBoolean(false)) {
      m.put("state", "replacing");
    }
    return ok(m);
  }

  // ---- helpers --------------------------------------------------------------------------------

  private String nextInstance() {
    return String.format("01JDINSTANCE%014d", ++instanceCounter);
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("bad JSON: " + json, e);
    }
  }

  private static MockResponse ok(JsonNode body) {
    return new MockResponse()
        .setResponseCode(200)
        .setHeader("Content-Type", "application/json")
        .setBody(body.toString());
  }

  static MockResponse error(int status, String message) {
    ObjectNode body = JSON.createObjectNode().put("error", message);
    return new MockResponse()
        .setResponseCode(status)
        .setHeader("Content-Type", "application/json")
        .setBody(body.toString());
  }

  /** An opaque 16-hex digest, like the ones {@code fly secrets list} shows. */
  private static String digest(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
