package io.cachemode.operator.targets.fly;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.cachemode.operator.targets.TargetException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The few Fly Machines API calls the target makes (shapes from fly-go {@code flaps}: see the
 * reference sheet §4.2). One call is one request: there are no retries here, the reconcile is
 * retried with back-off instead, which keeps the client within Fly's per-action rate limits.
 *
 * <p>The token only ever goes into the {@code Authorization} header. Error messages carry the
 * method, the path and Fly's {@code error} text with the token masked, and never a cause whose
 * message could quote a response body.
 */
final class FlyApi {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final int MAX_ERROR_TEXT = 200;
  private static final String MASK = "***";

  private final OkHttpClient http;
  private final HttpUrl appUrl;
  private final String authorization;
  private final String token;

  /**
   * @param apiUrl base URL, e.g. {@code https://api.machines.dev}; must parse as an http(s) URL
   */
  FlyApi(OkHttpClient http, String apiUrl, String app, String token) {
    HttpUrl base = HttpUrl.parse(apiUrl);
    if (base == null) {
      throw new IllegalArgumentException("not an http(s) URL: " + apiUrl);
    }
    this.http = http;
    this.appUrl =
        base.newBuilder().addPathSegment("v1").addPathSegment("apps").addPathSegment(app).build();
    this.token = token.strip();
    this.authorization = authorization(this.token);
  }

  /**
   * The {@code Authorization} header for a Fly token: macaroons (prefix {@code fm1r_}/{@code fm2_},
   * possibly a comma-joined list, or already prefixed with {@code FlyV1 } as {@code fly tokens
   * create} prints them) use the {@code FlyV1} scheme, everything else {@code Bearer}.
   */
  static String authorization(String token) {
    String t = token.strip();
    if (t.startsWith("FlyV1 ")) {
      return "FlyV1 " + t.substring("FlyV1 ".length()).strip();
    }
    if (t.startsWith("Bearer ")) {
      t = t.substring("Bearer ".length()).strip();
    }
    boolean macaroon =
        Arrays.stream(t.split(","))
            .map(String::strip)
            .anyMatch(p -> p.startsWith("fm1r_") || p.startsWith("fm2_"));
    return (macaroon ? "FlyV1 " : "Bearer ") + t;
  }

  /** {@code GET /v1/apps/{app}/machines}: every machine that is not destroyed. */
  List<JsonNode> machines() {
    JsonNode list = call("GET", appUrl.newBuilder().addPathSegment("machines").build(), null);
    List<JsonNode> out = new ArrayList<>();
    list.forEach(out::add);
    return out;
  }

  /** {@code GET /v1/apps/{app}/machines/{id}}. */
  JsonNode machine(String id) {
    return call("GET", machineUrl(id), null);
  }

  /**
   * {@code POST /v1/apps/{app}/machines/{id}} with a full launch input (config, region,
   * skip_launch, min_secrets_version); a running machine reboots with the new config.
   */
  JsonNode updateMachine(String id, JsonNode input) {
    return call("POST", machineUrl(id), input);
  }

  /**
   * {@code GET /v1/apps/{app}/secrets?show_secrets=true}: {@code {"secrets":[{name, digest,
   * created_at, updated_at, value?}]}}; {@code value} is there only when the token may read values.
   */
  JsonNode secrets() {
    return call(
        "GET",
        appUrl
            .newBuilder()
            .addPathSegment("secrets")
            .addQueryParameter("show_secrets", "true")
            .build(),
        null);
  }

  /**
   * {@code POST /v1/apps/{app}/secrets} with {@code {"values":{...}}}: replies {@code
   * {"secrets":[...], "version":N}}.
   */
  JsonNode setSecrets(JsonNode body) {
    return call("POST", appUrl.newBuilder().addPathSegment("secrets").build(), body);
  }

  private HttpUrl machineUrl(String id) {
    return appUrl.newBuilder().addPathSegment("machines").addPathSegment(id).build();
  }

  private JsonNode call(String method, HttpUrl url, JsonNode body) {
    String what = method + " " + url.encodedPath();
    Request.Builder request =
        new Request.Builder()
            .url(url)
            .header("Authorization", authorization)
            .header("Accept", "application/json")
            .header("User-Agent", "cachemode-operator");
    if (body != null) {
      request.method(method, RequestBody.create(write(body), JSON_TYPE));
    } else {
      request.method(method, null);
    }
    String text;
    try (Response response = http.newCall(request.build()).execute()) {
      ResponseBody responseBody = response.body();
      text = responseBody == null ? "" : responseBody.string();
      if (!response.isSuccessful()) {
        throw new FlyApiException(
            response.code(),
            redact(
                "Fly API "
                    + what
                    + " returned "
                    + response.code()
                    + rateLimited(response)
                    + errorText(text)));
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

  private static String write(JsonNode body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JsonNode always serializes", e);
    }
  }

  private static String rateLimited(Response response) {
    if (response.code() != 429) {
      return "";
    }
    String retryAfter = response.header("Retry-After");
    return " (rate limited" + (retryAfter == null ? "" : ", retry after " + retryAfter + "s") + ")";
  }

  /** Fly's {@code {"error": "..."}} text, or the start of the raw body, on one line. */
  private static String errorText(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String text = body;
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.hasNonNull("error")) {
        text = node.get("error").asText();
      }
    } catch (JsonProcessingException e) {
      // not JSON: use the raw text
    }
    text = text.replaceAll("\\s+", " ").strip();
    if (text.length() > MAX_ERROR_TEXT) {
      text = text.substring(0, MAX_ERROR_TEXT) + "...";
    }
    return text.isEmpty() ? "" : ": " + text;
  }

  /**
   * Masks the token, its bare form (without a scheme prefix) and each part of a comma-joined
   * macaroon list. Strings shorter than 8 characters are not real tokens and are left alone, so a
   * test token like "x" cannot garble messages.
   */
  String redact(String message) {
    String bare = authorization.substring(authorization.indexOf(' ') + 1);
    List<String> secrets = new ArrayList<>(List.of(token, bare));
    Arrays.stream(bare.split(",")).map(String::strip).forEach(secrets::add);
    String out = message;
    for (String s : secrets) {
      if (s.length() >= 8) {
        out = out.replace(s, MASK);
      }
    }
    return out;
  }
}
