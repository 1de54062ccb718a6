package io.cachemode.operator.targets.fly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cachemode.operator.targets.TargetException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The Fly Machines API calls the target makes, in the shapes of the Machines OpenAPI document
 * (docs.machines.dev/spec/openapi3.json, mirrored in alchemy-run/distilled-spec-fly-io {@code
 * specs/openapi.json}) and fly-go's {@code flaps} client. One call is one request: there are no
 * retries here, the reconcile comes back instead, which keeps the client within Fly's per-action
 * rate limits.
 *
 * <p>Secret values are never asked for: no call sends {@code show_secrets}, and listings are parsed
 * without their {@code value} field.
 *
 * <p>The token only ever goes into the {@code Authorization} header. Error messages carry the
 * method, the path and Fly's own text with every form of the token masked, and never a cause whose
 * message could quote a response body.
 */
final class FlyApi {
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The header a lease holder sends with every call on the machine (fly-go {@code NonceHeader}).
   */
  static final String NONCE_HEADER = "fly-machine-lease-nonce";

  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final int MAX_ERROR_TEXT = 300;
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  /** Far above any app's machine list; a larger reply is refused before it fills the heap. */
  static final long MAX_BODY_BYTES = 8L * 1024 * 1024;

  private static final int MIN_SECRET_LENGTH = 8;
  private static final String MASK = "***";

  private final OkHttpClient http;
  private final HttpUrl appUrl;
  private final String authorization;
  private final List<String> secrets;

  /**
   * @param apiUrl base URL, e.g. {@code https://api.machines.dev}; must parse as an http(s) URL
   */
  FlyApi(OkHttpClient http, String apiUrl, String app, String token) {
    this(http, apiUrl, app, token, CALL_TIMEOUT);
  }

  /**
   * @param callTimeout bounds each call as a whole: calls run on a reconcile thread, and a server
   *     that trickles its answer a byte at a time never trips a read timeout
   */
  FlyApi(OkHttpClient http, String apiUrl, String app, String token, Duration callTimeout) {
    HttpUrl base = HttpUrl.parse(apiUrl);
    if (base == null) {
      throw new IllegalArgumentException("not an http(s) URL: " + apiUrl);
    }
    this.http = http.newBuilder().callTimeout(callTimeout).build();
    this.appUrl =
        base.newBuilder().addPathSegment("v1").addPathSegment("apps").addPathSegment(app).build();
    FlyTokens tokens = FlyTokens.parse(token);
    this.authorization = tokens.header();
    List<String> all = new ArrayList<>(tokens.secrets());
    all.add(authorization);
    all.add(token.strip());
    // Longest first, so a part inside a longer form does not leave the rest of it behind.
    all.sort((a, b) -> b.length() - a.length());
    this.secrets = all.stream().filter(s -> s.length() >= MIN_SECRET_LENGTH).toList();
  }

  /** The {@code Authorization} header for a Fly token, by fly-go's rules ({@link FlyTokens}). */
  static String authorization(String token) {
    return FlyTokens.parse(token).header();
  }

  /**
   * {@code GET /v1/apps/{app}/machines}: without {@code include_deleted}, so destroyed machines are
   * left out (OpenAPI {@code Machines_list}).
   */
  List<FlyMachine> machines() {
    List<FlyMachine> out = new ArrayList<>();
    call("GET", machinesUrl().build(), null, null).forEach(n -> out.add(FlyMachine.from(n)));
    return out;
  }

  /** {@code GET /v1/apps/{app}/machines/{id}}. */
  FlyMachine machine(String id) {
    return FlyMachine.from(call("GET", machineUrl(id).build(), null, null));
  }

  /**
   * {@code POST /v1/apps/{app}/machines/{id}/lease}. The ttl goes in the body as the OpenAPI {@code
   * CreateLeaseRequest} and the docs show it, and in the query as fly-go's {@code AcquireLease}
   * sends it. A lease held by someone else is a 409 (superfly/docs {@code
   * reference/machines/_lease_resp.erb}), thrown as a {@link FlyApiException}.
   */
  Lease acquireLease(String id, int ttlSeconds, String description) {
    ObjectNode body =
        JSON.createObjectNode().put("description", description).put("ttl", ttlSeconds);
    HttpUrl url =
        machineUrl(id)
            .addPathSegment("lease")
            .addQueryParameter("ttl", Integer.toString(ttlSeconds))
            .build();
    return Lease.from(call("POST", url, body, null));
  }

  /** {@code DELETE /v1/apps/{app}/machines/{id}/lease} with the nonce (required by the OpenAPI). */
  void releaseLease(String id, String nonce) {
    call("DELETE", machineUrl(id).addPathSegment("lease").build(), null, nonce);
  }

  /**
   * {@code POST /v1/apps/{app}/machines/{id}} with an {@code UpdateMachineRequest} (full config,
   * region, skip_launch, current_version, min_secrets_version) and the lease nonce; a running
   * machine reboots with the new config.
   */
  FlyMachine updateMachine(String id, ObjectNode input, String nonce) {
    return FlyMachine.from(call("POST", machineUrl(id).build(), input, nonce));
  }

  /**
   * {@code GET /v1/apps/{app}/secrets}: names, digests and times. A listing right after a write may
   * not show it yet, so a known version is asked for: {@code min_version} is the OpenAPI's name
   * ("Minimum secrets version to return. Returned when setting a new secret"), {@code version} the
   * one fly-go's {@code ListAppSecrets} sends (flyctl {@code internal/appsecrets/secrets.go} passes
   * its stored "minvers" there).
   */
  List<FlySecret> secrets(OptionalLong minVersion) {
    HttpUrl.Builder url = appUrl.newBuilder().addPathSegment("secrets");
    minVersion.ifPresent(
        v ->
            url.addQueryParameter("min_version", Long.toString(v))
                .addQueryParameter("version", Long.toString(v)));
    List<FlySecret> out = new ArrayList<>();
    call("GET", url.build(), null, null).path("secrets").forEach(n -> out.add(FlySecret.from(n)));
    return out;
  }

  /**
   * What a write returned (OpenAPI {@code AppSecretsUpdateResp}).
   *
   * @param version the app's secrets version after the write ({@code version}; {@code Version} is
   *     the deprecated spelling), empty when Fly returned none
   * @param secrets the listing that came with the reply, possibly empty
   */
  record SecretsWrite(OptionalLong version, List<FlySecret> secrets) {}

  /**
   * {@code POST /v1/apps/{app}/secrets} with {@code {"values":{key: value}}}, touching no other key
   * (OpenAPI {@code AppSecretsUpdateRequest}).
   */
  SecretsWrite setSecret(String key, String value) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("values").put(key, value);
    JsonNode reply =
        call("POST", appUrl.newBuilder().addPathSegment("secrets").build(), body, null);
    JsonNode version = reply.has("version") ? reply.get("version") : reply.path("Version");
    List<FlySecret> listed = new ArrayList<>();
    reply.path("secrets").forEach(n -> listed.add(FlySecret.from(n)));
    return new SecretsWrite(
        version.canConvertToLong() && version.asLong() > 0
            ? OptionalLong.of(version.asLong())
            : OptionalLong.empty(),
        listed);
  }

  private HttpUrl.Builder machinesUrl() {
    return appUrl.newBuilder().addPathSegment("machines");
  }

  private HttpUrl.Builder machineUrl(String id) {
    return machinesUrl().addPathSegment(id);
  }

  private JsonNode call(String method, HttpUrl url, JsonNode body, String nonce) {
    String what = method + " " + url.encodedPath();
    Request.Builder request =
        new Request.Builder()
            .url(url)
            .header("Authorization", authorization)
            .header("Accept", "application/json")
            .header("User-Agent", "cachemode-operator");
    if (nonce != null) {
      request.header(NONCE_HEADER, nonce);
    }
    request.method(method, body == null ? null : RequestBody.create(write(body), JSON_TYPE));
    String text;
    try (Response response = http.newCall(request.build()).execute()) {
      ResponseBody responseBody = response.body();
      if (responseBody != null && responseBody.source().request(MAX_BODY_BYTES + 1)) {
        throw new TargetException(
            "Fly API " + what + " returned more than " + MAX_BODY_BYTES / (1024 * 1024) + " MiB");
      }
      text = responseBody == null ? "" : responseBody.string();
      if (!response.isSuccessful()) {
        throw failure(what, response, text);
      }
    } catch (IOException e) {
      throw new TargetException(
          redact(
              "Fly API "
                  + what
                  + " failed: "
                  + e.getClass().getSimpleName()
                  + ": "
                  + e.getMessage()));
    }
    if (text.isBlank()) {
      return NullNode.getInstance();
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      // The parser's message quotes the body, so it is not passed on.
      throw new TargetException("Fly API " + what + " returned a body that is not JSON");
    }
  }

  private FlyApiException failure(String what, Response response, String body) {
    JsonNode node = null;
    try {
      node = body.isBlank() ? null : JSON.readTree(body);
    } catch (JsonProcessingException e) {
      // not JSON (a proxy's HTML page): the raw text is shown instead
    }
    boolean json = node != null && node.isObject();
    String error = json ? field(node, "error") : null;
    String status = json ? field(node, "status") : null;
    String message = json ? field(node, "message") : null;
    String said = message != null ? message : error != null ? error : json ? null : clean(body);
    Duration retryAfter =
        response.code() == 429
            ? RetryAfter.parse(response.header("Retry-After"), Instant.now()).orElse(null)
            : null;
    String text =
        "Fly API "
            + what
            + " returned "
            + response.code()
            + (response.code() == 429
                ? " (rate limited"
                    + (retryAfter == null ? "" : ", retry after " + retryAfter.toSeconds() + "s")
                    + ")"
                : "")
            + (said == null || said.isEmpty() ? "" : ": " + said)
            + (status == null || "error".equals(status) ? "" : " (status " + status + ")");
    return new FlyApiException(text, response.code(), error, status, message, retryAfter);
  }

  private String field(JsonNode node, String name) {
    JsonNode v = node.get(name);
    return v == null || v.isNull() || !v.isValueNode() ? null : clean(v.asText());
  }

  /** Fly's text on one line, the token masked before it is cut, so no part of it survives. */
  private String clean(String text) {
    String t = redact(text).replaceAll("\\s+", " ").strip();
    return t.length() > MAX_ERROR_TEXT ? t.substring(0, MAX_ERROR_TEXT) + "..." : t;
  }

  private static String write(JsonNode body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JsonNode always serializes", e);
    }
  }

  /**
   * Masks every form of the token: the header, the raw string, each macaroon and each comma-joined
   * list. Strings shorter than 8 characters are not real tokens and are left alone, so a test token
   * like "x" cannot garble messages.
   */
  String redact(String message) {
    if (message == null) {
      return null;
    }
    String out = message;
    for (String s : secrets) {
      out = out.replace(s, MASK);
    }
    return out;
  }
}
