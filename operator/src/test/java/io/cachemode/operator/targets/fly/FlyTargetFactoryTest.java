package io.cachemode.operator.targets.fly;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.CacheModeSpec;
import io.cachemode.operator.api.CacheModeStatus;
import io.cachemode.operator.api.FlyTargetSpec;
import io.cachemode.operator.api.SecretKeySelector;
import io.cachemode.operator.api.SecretStatus;
import io.cachemode.operator.api.TargetSpec;
import io.cachemode.operator.api.WriteRecord;
import io.cachemode.operator.targets.FlagReading;
import io.cachemode.operator.targets.Target;
import io.cachemode.operator.targets.Target.ReferenceProblem;
import io.cachemode.operator.targets.TargetFactory;
import io.cachemode.operator.targets.WriteReceipt;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TargetFactory builds a FlyTarget from {@code spec.target.fly}, reading the token Secret from the
 * CacheMode's namespace. The Kubernetes API is a MockWebServer answering Secret GETs; the Fly API
 * is {@link FakeFlyApi}.
 */
class FlyTargetFactoryTest {
  static final String TOKEN = "fo1_RmFjdG9yeVRlc3RUb2tlbk5vdFJlYWw5ODc2";

  MockWebServer kube;
  MockWebServer flyServer;
  FakeFlyApi fly;
  KubernetesClient client;
  final Map<String, Map<String, String>> secrets = new HashMap<>();

  @BeforeEach
  void start() throws IOException {
    kube = new MockWebServer();
    kube.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            String prefix = "/api/v1/namespaces/atom/secrets/";
            String path = request.getRequestUrl().encodedPath();
            Map<String, String> data =
                path.startsWith(prefix) ? secrets.get(path.substring(prefix.length())) : null;
            if (!"GET".equals(request.getMethod()) || data == null) {
              return new MockResponse()
                  .setResponseCode(404)
                  .setHeader("Content-Type", "application/json")
                  .setBody(
                      "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                          + "\"reason\":\"NotFound\",\"code\":404}");
            }
            StringBuilder json = new StringBuilder();
            data.forEach(
                (k, v) ->
                    json.append(json.length() == 0 ? "" : ",")
                        .append('"')
                        .append(k)
                        .append("\":\"")
                        .append(
                            Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)))
                        .append('"'));
            return new MockResponse()
                .setHeader("Content-Type", "application/json")
                .setBody(
                    "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\""
                        + path.substring(prefix.length())
                        + "\",\"namespace\":\"atom\"},\"data\":{"
                        + json
                        + "}}");
          }
        });
    kube.start();
    flyServer = new MockWebServer();
    fly = new FakeFlyApi("atom-saas", "Bearer " + TOKEN);
    flyServer.setDispatcher(fly);
    flyServer.start();
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder()
                    .withMasterUrl(kube.url("/").toString())
                    .withNamespace("atom")
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    kube.shutdown();
    flyServer.shutdown();
  }

  CacheMode cacheMode(String tokenKey) {
    FlyTargetSpec spec = new FlyTargetSpec();
    spec.setApp("atom-saas");
    spec.setApiUrl(flyServer.url("/").toString());
    spec.setTokenSecretRef(new SecretKeySelector("fly-api", tokenKey));
    TargetSpec target = new TargetSpec();
    target.setFly(spec);
    CacheModeSpec cms = new CacheModeSpec();
    cms.setSuspend(true);
    cms.setTarget(target);
    CacheMode cm = new CacheMode();
    cm.setMetadata(
        new ObjectMetaBuilder().withName("atom-saas-redis").withNamespace("atom").build());
    cm.setSpec(cms);
    return cm;
  }

  Target create(CacheMode cm) {
    return new TargetFactory(client, new OkHttpClient()).create(cm);
  }

  @Test
  void buildsAFlyTargetWithTheTokenFromTheSecret() {
    secrets.put("fly-api", Map.of("token", TOKEN + "\n"));
    fly.machine("m1", "started", "{\"image\":\"x\"}").secret("SUSPEND_REDIS", "false");
    CacheMode cm = cacheMode("token");

    Target target = create(cm);

    assertThat(target).isInstanceOf(FlyTarget.class);
    assertThat(target.location().toString()).isEqualTo("Fly app atom-saas secret SUSPEND_REDIS");
    assertThat(TargetFactory.location(cm)).isEqualTo(target.location());
    assertThat(target.validate()).isEmpty();
    assertThat(target.readFlag().known()).as("never written by the operator").isFalse();
    assertThat(fly.calls()).allMatch(c -> ("Bearer " + TOKEN).equals(c.authorization()));
  }

  @Test
  void handsTheRecordedLastWriteToTheTarget() {
    secrets.put("fly-api", Map.of("token", TOKEN));
    fly.machine("m1", "started", "{\"image\":\"x\"}");
    CacheMode cm = cacheMode("token");
    WriteReceipt receipt = create(cm).writeFlag("true", Instant.parse("2026-11-29T03:00:00Z"));
    cm.setStatus(statusWith("atom-saas", receipt));

    FlagReading r = create(cm).readFlag();

    assertThat(r.known()).isTrue();
    assertThat(r.value()).contains("true");
    assertThat(r.version().orElseThrow().secretsVersion()).isEqualTo(fly.secretsVersion());
    assertThat(fly.calls("GET", "/v1/apps/atom-saas/secrets").get(1).query("min_version"))
        .isEqualTo(Long.toString(fly.secretsVersion()));
  }

  @Test
  void aLastWriteOfAnotherLocationIsIgnored() {
    secrets.put("fly-api", Map.of("token", TOKEN));
    CacheMode cm = cacheMode("token");
    WriteReceipt receipt = create(cm).writeFlag("true", Instant.parse("2026-11-29T03:00:00Z"));
    cm.setStatus(statusWith("other-app", receipt));

    assertThat(create(cm).readFlag().known()).isFalse();
  }

  static CacheModeStatus statusWith(String app, WriteReceipt receipt) {
    WriteRecord w = new WriteRecord();
    w.setValue(receipt.value());
    w.setWrittenAt(receipt.writtenAt());
    w.setDigest(receipt.version().digest());
    w.setUpdatedAt(receipt.version().updatedAt());
    w.setSecretsVersion(receipt.version().secretsVersion());
    SecretStatus secret = new SecretStatus();
    secret.setName(app);
    secret.setKey("SUSPEND_REDIS");
    secret.setLastWrite(w);
    CacheModeStatus status = new CacheModeStatus();
    status.setSecret(secret);
    return status;
  }

  @Test
  void missingTokenSecretIsTokenSecretNotFound() {
    Target target = create(cacheMode("token"));
    assertThat(target.validate())
        .containsExactly(
            new ReferenceProblem(
                "TokenSecretNotFound",
                "spec.target.fly.tokenSecretRef: Secret atom/fly-api not found or has no non-empty"
                    + " key token"));
    assertThat(target.location().toString()).isEqualTo("Fly app atom-saas secret SUSPEND_REDIS");
    assertThat(fly.calls()).isEmpty();
  }

  @Test
  void missingTokenKeyIsTokenSecretNotFound() {
    secrets.put("fly-api", Map.of("other", TOKEN));
    assertThat(create(cacheMode("token")).validate())
        .extracting(ReferenceProblem::reason, ReferenceProblem::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "TokenSecretNotFound",
                "spec.target.fly.tokenSecretRef: Secret atom/fly-api not found or has no non-empty"
                    + " key token"));
  }

  @Test
  void emptyTokenIsTokenSecretNotFound() {
    secrets.put("fly-api", Map.of("token", "  \n"));
    assertThat(create(cacheMode("token")).validate())
        .extracting(ReferenceProblem::reason)
        .containsExactly("TokenSecretNotFound");
  }

  @Test
  void tokenKeyDefaultsToToken() {
    secrets.put("fly-api", Map.of("token", TOKEN));
    assertThat(create(cacheMode(null))).isInstanceOf(FlyTarget.class);
  }

  @Test
  void badApiUrlIsReported() {
    secrets.put("fly-api", Map.of("token", TOKEN));
    CacheMode cm = cacheMode("token");
    cm.getSpec().getTarget().getFly().setApiUrl("api.machines.dev");
    assertThat(create(cm).validate())
        .containsExactly(
            new ReferenceProblem(
                "InvalidApiUrl", "spec.target.fly.apiUrl: api.machines.dev is not an http(s) URL"));
  }
}
