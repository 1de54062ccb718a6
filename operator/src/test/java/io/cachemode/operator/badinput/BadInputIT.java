package io.cachemode.operator.badinput;

import static io.cachemode.operator.it.Fixtures.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.CheckResult;
import io.cachemode.operator.api.Conditions;
import io.cachemode.operator.api.HealthCheckStatus;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.api.Reasons;
import io.cachemode.operator.it.Fixtures;
import io.cachemode.operator.it.OperatorInNamespace;
import io.cachemode.operator.testing.LocalHttpServer;
import io.cachemode.operator.testing.LocalHttpServer.Answer;
import io.cachemode.operator.testing.RedisServerProcess;
import io.cachemode.operator.testing.ScriptedServer;
import io.cachemode.operator.testing.TestTls;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of bad input, each case with the rejection or condition it must get. Admission cases are
 * created through the real API server (CRD schema, CEL rules); reconciler cases reach the operator
 * running in this JVM and its verification talks to real loopback servers that misbehave
 * (slow-loris, silent, truncated, oversized, wrong TLS). After every case the {@link Bystander} is
 * flipped and must converge with one more restart: the operator stays up and keeps serving other
 * CacheModes. The bounds already proven by {@code CrdBoundsIT} (list sizes, string lengths of URLs
 * and queries, duration ranges) are not repeated here. docs/reliability.md lists the cases.
 */
class BadInputIT extends OperatorInNamespace {
  /** A value with a non-ASCII letter and a control character (BEL). */
  private static final String UNICODE_AND_CONTROL = "é\u0007";

  private Bystander bystander;
  private LocalHttpServer http;
  private ScriptedServer slowLoris;
  private ScriptedServer silent;
  private ScriptedServer garbage;
  private ScriptedServer plainText;
  private ScriptedServer binaryBody;
  private ScriptedServer truncatedInfo;
  private ScriptedServer malformedInfo;
  private TestTls tls;
  private RedisServerProcess tlsRedis;

  /** One bad input: what is sent, what it must get, and the check that sends and asserts it. */
  record BadInput(String input, String expected, Check check) {
    @FunctionalInterface
    interface Check {
      void run() throws Exception;
    }

    @Override
    public String toString() {
      return input;
    }
  }

  @BeforeAll
  void startServers() throws Exception {
    bystander = Bystander.start(fx);
    String prometheusVector =
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":%s}}";
    http =
        new LocalHttpServer()
            .route(
                "/huge",
                () -> new Answer(200, "x".repeat(6 * 1024 * 1024) + "redis-ok")) // cut at 4 MiB
            .route("/malformed", () -> new Answer(200, "{\"redis\": \"up\""))
            .route("/nested", () -> new Answer(200, "[".repeat(100_000)))
            .route("/up", () -> new Answer(200, "{\"redis\": \"up\"}"))
            .route(
                "/prometheus-malformed/api/v1/query",
                () -> new Answer(200, "{\"status\":\"success\",\"data\":{"))
            .route(
                "/prometheus-huge/api/v1/query",
                () ->
                    new Answer(
                        200,
                        prometheusVector.formatted(
                            "[{\"metric\":{\"pad\":\""
                                + "x".repeat(5 * 1024 * 1024)
                                + "\"},\"value\":[1,\"5\"]}]")))
            .route(
                "/prometheus-shape/api/v1/query",
                () -> new Answer(200, prometheusVector.formatted("\"abc\"")))
            .route(
                "/prometheus-nan/api/v1/query",
                () ->
                    new Answer(
                        200, prometheusVector.formatted("[{\"metric\":{},\"value\":[1,\"NaN\"]}]")))
            .route(
                "/upstash-malformed/v2/redis/stats/db-1",
                () -> new Answer(200, "{\"daily_read_requests\": ["))
            .route(
                "/upstash-types/v2/redis/stats/db-1",
                () -> new Answer(200, "{\"daily_read_requests\": \"lots\", \"cmd\": {}}"))
            .route(
                "/upstash-huge/v2/redis/stats/db-1",
                () -> new Answer(200, "[" + "1,".repeat(3 * 1024 * 1024) + "1]"))
            .route("/fly-malformed/", () -> new Answer(200, "{\"machines\": [tru"))
            .route(
                "/fly-huge/",
                () -> new Answer(200, "[" + "{\"id\":\"m\"},".repeat(950_000) + "{}]"));
    slowLoris =
        ScriptedServer.slowLoris(
            "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", Duration.ofMillis(300));
    silent = ScriptedServer.neverAnswering();
    garbage =
        ScriptedServer.answering(
            "\u0000\u00ff garbage\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    plainText =
        ScriptedServer.start(
            (in, out) ->
                out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    binaryBody =
        ScriptedServer.answering(
            concat(
                "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xff, (byte) 0xfe, 7, 0}));
    truncatedInfo =
        fakeRedis(
            "$5000\r\n# Server\r\nuptime_in_seconds:10\r\n# Commandstats\r\ncmdstat_get:calls=",
            true);
    String wrongInfo = "# Commandstats\r\ncmdstat_get:calls=lots,usec=-1\r\n";
    malformedInfo = fakeRedis("$" + wrongInfo.length() + "\r\n" + wrongInfo + "\r\n", false);
    tls = TestTls.create();
    tlsRedis = RedisServerProcess.startedWithTls(tls);
  }

  @AfterAll
  void stopServers() throws Exception {
    for (AutoCloseable c :
        new AutoCloseable[] {
          http,
          slowLoris,
          silent,
          garbage,
          plainText,
          binaryBody,
          truncatedInfo,
          malformedInfo,
          tlsRedis
        }) {
      if (c != null) {
        c.close();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void badInputGetsItsRejectionOrCondition(BadInput c) throws Exception {
    c.check().run();
  }

  /** Asserted after every case, passed or failed. */
  @AfterEach
  void theBystanderStillConverges() {
    bystander.flip();
  }

  Stream<BadInput> corpus() {
    return Stream.of(admission(), unicodeAndControlCharacters(), references(), health(), meters())
        .flatMap(s -> s);
  }

  // ---------------------------------------------------------------- admission: types, shapes

  private Stream<BadInput> admission() {
    return Stream.of(
        refusedCase(
            "suspend as the digest string",
            "spec.suspend",
            Fixtures.DIGEST,
            "spec.suspend: Invalid value: \"string\": spec.suspend in body must be of type"
                + " boolean"),
        refusedCase("suspend missing", "spec.suspend", null, "spec.suspend: Required value"),
        refusedCase(
            "dryRun as \"yes\"",
            "spec.dryRun",
            "yes",
            "spec.dryRun in body must be of type boolean"),
        refusedCase(
            "attempts as \"three\"",
            "spec.healthChecks.0.attempts",
            "three",
            "spec.healthChecks[0].attempts in body must be of type integer"),
        refusedCase(
            "workloads as an object, not a list",
            "spec.target.kubernetes.workloads",
            Map.of("kind", "Deployment", "name", "app"),
            "spec.target.kubernetes.workloads: Invalid value: \"object\":"
                + " spec.target.kubernetes.workloads in body must be of type array"),
        refusedCase(
            "workload kind DaemonSet",
            "spec.target.kubernetes.workloads.0.kind",
            "DaemonSet",
            "spec.target.kubernetes.workloads[0].kind: Unsupported value: \"DaemonSet\":"
                + " supported values: \"Deployment\", \"StatefulSet\""),
        refusedCase(
            "both a kubernetes and a fly target",
            "spec.target",
            Map.of(
                "kubernetes",
                Map.of(
                    "secretRef",
                    Map.of("name", "app-env"),
                    "workloads",
                    List.of(Map.of("kind", "Deployment", "name", "app"))),
                "fly",
                Map.of("app", "shop", "tokenSecretRef", Map.of("name", "fly-api", "key", "token"))),
            "exactly one of spec.target.kubernetes or spec.target.fly must be set"),
        refusedCase(
            "no workload and no selector",
            "spec.target.kubernetes.workloads",
            List.of(),
            "name at least one workload in spec.target.kubernetes.workloads or a"
                + " workloadSelector"),
        refusedCase(
            "historyLimit 0",
            "spec.historyLimit",
            0,
            "spec.historyLimit in body should be greater than or equal to 1"),
        refusedCase(
            "expected status 99",
            "spec.healthChecks.0.expect.status",
            99,
            "spec.healthChecks[0].expect.status in body should be greater than or equal to 100"),
        refusedCase(
            "jsonValue without jsonPointer",
            "spec.healthChecks.0.expect.jsonValue",
            "up",
            "expect.jsonValue needs expect.jsonPointer"),
        refusedCase(
            "empty Secret name",
            "spec.target.kubernetes.secretRef.name",
            "",
            "spec.target.kubernetes.secretRef.name in body should match"),
        refusedCase(
            "empty workload name",
            "spec.target.kubernetes.workloads.0.name",
            "",
            "spec.target.kubernetes.workloads[0].name in body should match"),
        refusedCase(
            "empty log check text",
            "spec.logChecks.0.contains",
            "",
            "spec.logChecks[0].contains in body should be at least 1 chars long"),
        refusedCase(
            "CacheMode name of 254 characters",
            "metadata.name",
            "a".repeat(254),
            "metadata.name: Invalid value:",
            "must be no more than 253 characters"),
        refusedCase(
            "Secret name of 254 characters",
            "spec.target.kubernetes.secretRef.name",
            "a".repeat(254),
            "spec.target.kubernetes.secretRef.name: Too long: may not be more than 253"),
        refusedCase(
            "flag key of 64 characters (it is also a label value)",
            "spec.target.kubernetes.secretRef.key",
            "K".repeat(64),
            "spec.target.kubernetes.secretRef.key: Too long: may not be more than 63"),
        refusedCase(
            "flag key starting with an underscore",
            "spec.target.kubernetes.secretRef.key",
            "_SUSPEND_REDIS",
            "spec.target.kubernetes.secretRef.key in body should match"
                + " '^[A-Za-z0-9]([-._A-Za-z0-9]*[A-Za-z0-9])?$'"),
        refusedCase(
            "health check name of 64 characters",
            "spec.healthChecks.0.name",
            "a".repeat(64),
            "spec.healthChecks[0].name: Too long: may not be more than 63"),
        refusedCase(
            "workload name of 254 characters",
            "spec.target.kubernetes.workloads.0.name",
            "a".repeat(254),
            "spec.target.kubernetes.workloads[0].name: Too long: may not be more than 253"),
        new BadInput(
            "an unknown field (spec.suspendd)",
            "stored without it (the API server prunes unknown fields); with fieldValidation=Strict"
                + " refused: unknown field \"spec.suspendd\"",
            this::unknownFieldIsPrunedOrRefused),
        new BadInput(
            "names at the limits (CacheMode and Secret name of 253, flag key of 63 characters)",
            "accepted and converges: Suspended, the 63-character key holds true",
            this::namesAtTheLimitsWork));
  }

  private void unknownFieldIsPrunedOrRefused() {
    app("pruned");
    Map<String, Object> cm = cacheModeMap("pruned");
    spec(cm).put("suspendd", true);
    assertThatThrownBy(
            () ->
                untyped()
                    .resource(resource(cm))
                    .dryRun()
                    .fieldValidation(Validation.STRICT)
                    .create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("unknown field \"spec.suspendd\"");
    GenericKubernetesResource stored = untyped().resource(resource(cm)).create();
    assertThat(stored.<Map<String, Object>>get("spec")).doesNotContainKey("suspendd");
    fx.awaitPhase("pruned", Phase.Suspended);
  }

  private void namesAtTheLimitsWork() {
    String secret = "s" + "e".repeat(251) + "t";
    String key = "K".repeat(63);
    fx.secret(secret, Map.of(key, "false"));
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(Fixtures.deploymentOf("limits", 0).build())
        .create();
    fx.create(
        """
        apiVersion: cachemode.io/v1alpha1
        kind: CacheMode
        metadata: {name: %s}
        spec:
          suspend: true
          target:
            kubernetes:
              secretRef: {name: %s, key: %s}
              workloads: [{kind: Deployment, name: limits}]
          rollout: {settle: 0s}
        """
            .formatted("l".repeat(253), secret, key));
    fx.awaitPhase("l".repeat(253), Phase.Suspended);
    assertThat(fx.secretValue(secret, key)).isEqualTo("true");
  }

  // ------------------------------------------- admission: Unicode and control characters

  /**
   * Every string field of the spec with a pattern gets {@code é} plus BEL and is refused naming the
   * field; the free-text fields (URLs, body and log texts, queries, database id) are admitted and
   * handled by the operator ({@link #health}, {@link #meters}).
   */
  private Stream<BadInput> unicodeAndControlCharacters() {
    String name = "'^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$'";
    String label = "'^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'";
    String key = "'^[-._a-zA-Z0-9]+$'";
    String duration = "'^([0-9]+(ms|s|m|h))+$'";
    String url = "'^https?://.+'";
    List<BadInput> cases = new ArrayList<>();
    cases.add(
        refusedCase(
            "metadata.name with Unicode and BEL",
            "metadata.name",
            "café\u0007",
            "metadata.name: Invalid value: \"café\\a\": a lowercase RFC 1123 subdomain"));
    Object[][] fields = {
      {"spec.target.kubernetes.secretRef.name", name},
      {"spec.target.kubernetes.secretRef.key", "'^[A-Za-z0-9]([-._A-Za-z0-9]*[A-Za-z0-9])?$'"},
      {
        "spec.target.kubernetes.workloads[0].name",
        "'^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'"
      },
      {"spec.healthChecks[0].name", label},
      {"spec.healthChecks[0].timeout", duration},
      {"spec.healthChecks[0].interval", duration},
      {"spec.logChecks[0].name", label},
      {"spec.logChecks[0].container", label},
      {"spec.logChecks[0].within", duration},
      {"spec.rollout.timeout", duration},
      {"spec.rollout.settle", duration},
      {"spec.verification.deadline", duration},
      {"spec.requestMetrics.window", duration},
      {"spec.requestMetrics.sampleWindow", duration},
      {"spec.requestMetrics.interval", duration},
      {"spec.requestMetrics.watchFor", duration},
      {"spec.requestMetrics.pricePer100kRequests", "'^[0-9]{1,6}(\\.[0-9]{1,6})?$'"},
      {"spec.requestMetrics.redis.addressSecretRef.name", name},
      {"spec.requestMetrics.redis.addressSecretRef.key", key},
      {"spec.requestMetrics.prometheus.url", url},
      {"spec.requestMetrics.prometheus.bearerTokenSecretRef.name", name},
      {"spec.requestMetrics.upstash.apiUrl", url},
      {"spec.requestMetrics.upstash.credentialsSecretRef.name", name},
      {"spec.requestMetrics.upstash.credentialsSecretRef.emailKey", key},
      {"spec.requestMetrics.upstash.credentialsSecretRef.apiKeyKey", key},
      {"spec.target.fly.app", "'^[a-z0-9][-a-z0-9]*$'"},
      {"spec.target.fly.key", "'^[A-Za-z_][A-Za-z0-9_]*$'"},
      {"spec.target.fly.tokenSecretRef.name", name},
      {"spec.target.fly.tokenSecretRef.key", key},
    };
    for (Object[] f : fields) {
      String field = (String) f[0];
      cases.add(
          refusedCase(
              field + " with Unicode and BEL",
              field.replace("[0]", ".0"),
              UNICODE_AND_CONTROL,
              field + ": Invalid value: \"é\\a\": " + field + " in body should match " + f[1]));
    }
    Object[][] enums = {
      {"spec.parseRule", "\"ExactTrue\", \"LowercaseTrue\", \"NonEmpty\""},
      {"spec.healthChecks[0].followRedirects", "\"Never\", \"SameHost\""},
      {"spec.requestMetrics.redis.method", "\"Auto\", \"CommandStats\", \"Keyspace\", \"Monitor\""},
    };
    for (Object[] f : enums) {
      String field = (String) f[0];
      cases.add(
          refusedCase(
              field + " with Unicode and BEL",
              field.replace("[0]", ".0"),
              UNICODE_AND_CONTROL,
              field + ": Unsupported value: \"é\\a\": supported values: " + f[1]));
    }
    return cases.stream();
  }

  // ------------------------------------------------------- the reconciler: references

  private Stream<BadInput> references() {
    return Stream.of(
        new BadInput(
            "workloadSelector value with Unicode and BEL",
            "SpecValid=False InvalidWorkloadSelector, naming the label (escaped)",
            () -> {
              fx.secret("selector-env", Map.of("SUSPEND_REDIS", "false"));
              fx.create(
                  """
                  apiVersion: cachemode.io/v1alpha1
                  kind: CacheMode
                  metadata: {name: selector}
                  spec:
                    suspend: true
                    target:
                      kubernetes:
                        secretRef: {name: selector-env}
                        workloadSelector: {tier: "w\\u00e9\\u0007"}
                  """);
              specInvalid(
                  "selector",
                  "InvalidWorkloadSelector",
                  "spec.target.kubernetes.workloadSelector: label value \"wé\\u0007\" of tier must"
                      + " be empty or at most 63 alphanumerics");
              assertThat(fx.secretValue("selector-env", "SUSPEND_REDIS")).isEqualTo("false");
            }),
        new BadInput(
            "a Secret that does not exist",
            "SpecValid=False SecretNotFound naming ns/name; nothing written",
            () -> {
              client
                  .apps()
                  .deployments()
                  .inNamespace(ns)
                  .resource(Fixtures.deploymentOf("nosecret", 0).build())
                  .create();
              create("nosecret", "");
              specInvalid(
                  "nosecret",
                  "SecretNotFound",
                  "spec.target.kubernetes.secretRef: Secret " + ns + "/nosecret-env not found");
              assertThat(fx.replicaSets("nosecret")).hasSize(1);
            }),
        new BadInput(
            "a StatefulSet named as a Deployment",
            "SpecValid=False WorkloadKindMismatch",
            () -> {
              fx.secret("kind-env", Map.of("SUSPEND_REDIS", "false"));
              client
                  .apps()
                  .statefulSets()
                  .inNamespace(ns)
                  .resource(Fixtures.statefulSetOf("kind").build())
                  .create();
              create("kind", "");
              specInvalid(
                  "kind",
                  "WorkloadKindMismatch",
                  "spec.target.kubernetes.workloads[0]: kind is a StatefulSet, not a Deployment");
            }),
        new BadInput(
            "an immutable Secret",
            "SpecValid=False SecretImmutable; no label, annotation or write on the Secret",
            () -> {
              client
                  .secrets()
                  .inNamespace(ns)
                  .resource(
                      new SecretBuilder()
                          .withNewMetadata()
                          .withName("immutable-env")
                          .endMetadata()
                          .withImmutable(true)
                          .withStringData(Map.of("SUSPEND_REDIS", "false"))
                          .build())
                  .create();
              deployment("immutable");
              create("immutable", "");
              specInvalid(
                  "immutable",
                  "SecretImmutable",
                  "spec.target.kubernetes.secretRef: Secret "
                      + ns
                      + "/immutable-env is immutable, so key SUSPEND_REDIS cannot be written;"
                      + " recreate the Secret without immutable: true");
              var s = client.secrets().inNamespace(ns).withName("immutable-env").get();
              assertThat(s.getMetadata().getLabels()).isNullOrEmpty();
              assertThat(fx.secretValue("immutable-env", "SUSPEND_REDIS")).isEqualTo("false");
              assertThat(fx.replicaSets("immutable")).as("no restart").hasSize(1);
            }),
        new BadInput(
            "a Secret that is not Opaque (kubernetes.io/basic-auth)",
            "treated like any Secret: Suspended; type and other keys unchanged",
            () -> {
              client
                  .secrets()
                  .inNamespace(ns)
                  .resource(
                      new SecretBuilder()
                          .withNewMetadata()
                          .withName("typed-env")
                          .endMetadata()
                          .withType("kubernetes.io/basic-auth")
                          .withStringData(
                              Map.of("username", "u", "password", "p", "SUSPEND_REDIS", "false"))
                          .build())
                  .create();
              deployment("typed");
              create("typed", "");
              fx.awaitPhase("typed", Phase.Suspended);
              var s = client.secrets().inNamespace(ns).withName("typed-env").get();
              assertThat(s.getType()).isEqualTo("kubernetes.io/basic-auth");
              assertThat(s.getData()).containsOnlyKeys("username", "password", "SUSPEND_REDIS");
              assertThat(fx.secretValue("typed-env", "SUSPEND_REDIS")).isEqualTo("true");
            }),
        new BadInput(
            "the flag key holding binary (non-UTF-8) data",
            "SecretValueValid reports NonBoolean, the key is repaired to true (SecretRepaired"
                + " event); status holds a hash, never the bytes",
            () -> {
              client
                  .secrets()
                  .inNamespace(ns)
                  .resource(
                      new SecretBuilder()
                          .withNewMetadata()
                          .withName("binary-env")
                          .endMetadata()
                          .withData(
                              Map.of(
                                  "SUSPEND_REDIS",
                                  Base64.getEncoder()
                                      .encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 7})))
                          .build())
                  .create();
              deployment("binary");
              create("binary", "");
              CacheMode cm = fx.awaitPhase("binary", Phase.Suspended);
              assertThat(cm.getStatus().getSecret().getBefore().getState().toString())
                  .isEqualTo("NonBoolean");
              assertThat(cm.getStatus().getSecret().getBefore().getValueHash()).hasSize(16);
              assertThat(fx.secretValue("binary-env", "SUSPEND_REDIS")).isEqualTo("true");
              assertThat(Serialization.asJson(cm.getStatus())).doesNotContain("\\u00ff", "\\ufffd");
              awaitEvent("binary", "SecretRepaired", "NonBoolean value replaced by true");
            }),
        new BadInput(
            "the same workload listed twice",
            "one restart: Suspended with one workload in status and one new ReplicaSet",
            () -> {
              fx.secret("twice-env", Map.of("SUSPEND_REDIS", "false"));
              deployment("twice");
              fx.create(
                  cacheModeYaml(
                      "twice",
                      "twice-env",
                      "[{kind: Deployment, name: twice}, {kind: Deployment, name: twice}]",
                      ""));
              CacheMode cm = fx.awaitPhase("twice", Phase.Suspended);
              assertThat(cm.getStatus().getWorkloads()).hasSize(1);
              assertThat(fx.replicaSets("twice")).hasSize(2);
            }),
        new BadInput(
            "one Deployment named by two CacheModes (different keys)",
            "the younger gets SpecValid=False Conflict naming the older; one restart, no loop",
            () -> {
              fx.secret("shared-a-env", Map.of("SUSPEND_REDIS", "false"));
              fx.secret("shared-b-env", Map.of("SUSPEND_REDIS", "false"));
              deployment("shared");
              fx.create(
                  cacheModeYaml(
                      "shared-a", "shared-a-env", "[{kind: Deployment, name: shared}]", ""));
              fx.awaitPhase("shared-a", Phase.Suspended);
              fx.create(
                  cacheModeYaml(
                      "shared-b", "shared-b-env", "[{kind: Deployment, name: shared}]", ""));
              specInvalid(
                  "shared-b",
                  Reasons.CONFLICT,
                  "Deployment shared is already restarted by CacheMode shared-a; a workload can"
                      + " follow one CacheMode");
              Thread.sleep(2000);
              assertThat(fx.replicaSets("shared")).as("one restart, no loop").hasSize(2);
              assertThat(fx.secretValue("shared-b-env", "SUSPEND_REDIS")).isEqualTo("false");
            }),
        new BadInput(
            "a workloadSelector matching 200 Deployments",
            "all 200 restarted exactly once; Suspended with 200 workloads in status",
            this::aSelectorMatchingHundreds));
  }

  private void aSelectorMatchingHundreds() {
    int count = 200;
    fx.secret("bulk-env", Map.of("SUSPEND_REDIS", "false"));
    for (int i = 0; i < count; i++) {
      client
          .apps()
          .deployments()
          .inNamespace(ns)
          .resource(
              Fixtures.deploymentOf("bulk-" + i, 0)
                  .editMetadata()
                  .addToLabels("fleet", "bulk")
                  .endMetadata()
                  .build())
          .create();
    }
    // Each first rollout must be done first, or a restart before it would merge into it.
    await("200 Deployments rolled out")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                IntStream.range(0, count)
                    .allMatch(
                        i ->
                            "1"
                                .equals(
                                    fx.deploymentAnnotations("bulk-" + i)
                                        .get("deployment.kubernetes.io/revision"))));
    fx.create(
        """
        apiVersion: cachemode.io/v1alpha1
        kind: CacheMode
        metadata: {name: bulk}
        spec:
          suspend: true
          target:
            kubernetes:
              secretRef: {name: bulk-env}
              workloadSelector: {fleet: bulk}
          rollout: {settle: 0s, timeout: 2m}
        """);
    CacheMode cm = fx.awaitPhase("bulk", Phase.Suspended);
    assertThat(cm.getStatus().getWorkloads()).hasSize(count);
    String hash = fx.templateAnnotations("bulk-0").get(ApiConstants.FLAG_HASH_ANNOTATION);
    assertThat(hash).isNotNull();
    await("200 rollouts recorded")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        IntStream.range(0, count)
                            .mapToObj(i -> "bulk-" + i)
                            .filter(
                                d ->
                                    hash.equals(
                                            fx.templateAnnotations(d)
                                                .get(ApiConstants.FLAG_HASH_ANNOTATION))
                                        && "2"
                                            .equals(
                                                fx.deploymentAnnotations(d)
                                                    .get("deployment.kubernetes.io/revision")))
                            .count())
                    .as("Deployments restarted exactly once (revision 2) for the flag")
                    .isEqualTo(count));
  }

  // ---------------------------------------------------------------- health checks

  private Stream<BadInput> health() {
    return Stream.of(
        healthCase(
            "a health body of 6 MiB with the expected text past 4 MiB",
            "name: api, timeout: 5s, url: \""
                + http.url("/huge")
                + "\", expect: {bodyContains: redis-ok}",
            CheckResult.Failed,
            "body does not contain \"redis-ok\""),
        healthCase(
            "a malformed JSON health body",
            "name: api, timeout: 1s, url: \""
                + http.url("/malformed")
                + "\", expect: {jsonPointer: /redis, jsonValue: up}",
            CheckResult.Failed,
            "body is not JSON"),
        healthCase(
            "a health body nested 100000 arrays deep",
            "name: api, timeout: 1s, url: \""
                + http.url("/nested")
                + "\", expect: {jsonPointer: /0}",
            CheckResult.Failed,
            "body is not JSON"),
        healthCase(
            "a binary (non-UTF-8) health body",
            "name: api, timeout: 1s, url: \"http://127.0.0.1:"
                + binaryBody.port()
                + "/h\", expect: {bodyContains: \"\\u00e9\\u0007\"}",
            CheckResult.Failed,
            "body does not contain \"é\u0007\""),
        healthCase(
            "a slow-loris health endpoint (one byte every 300 ms)",
            "name: api, timeout: 1s, url: \"http://127.0.0.1:" + slowLoris.port() + "/h\"",
            CheckResult.Failed,
            "timed out after 1s"),
        healthCase(
            "a health endpoint that never answers",
            "name: api, timeout: 1s, url: \"http://127.0.0.1:" + silent.port() + "/h\"",
            CheckResult.Failed,
            "timed out after 1s"),
        healthCase(
            "a health endpoint answering garbage bytes",
            "name: api, timeout: 1s, url: \"http://127.0.0.1:" + garbage.port() + "/h\"",
            CheckResult.Failed,
            "connection to 127.0.0.1:" + garbage.port() + " failed: ProtocolException"),
        healthCase(
            "https to a server with a certificate the operator does not trust",
            "name: api, timeout: 1s, url: \"https://127.0.0.1:" + tlsRedis.port() + "/h\"",
            CheckResult.Failed,
            "TLS handshake failed: PKIX path building failed"),
        healthCase(
            "https to a server that does not speak TLS",
            "name: api, timeout: 1s, url: \"https://127.0.0.1:" + plainText.port() + "/h\"",
            CheckResult.Failed,
            "TLS handshake failed: Unsupported or unrecognized SSL message"),
        healthCase(
            "a health URL with a control character (admitted by the pattern)",
            "name: api, timeout: 1s, url: \"http://exa\\u0007mple/health\"",
            CheckResult.Inconclusive,
            "url is not an http or https URL"),
        healthCase(
            "a jsonPointer that is not RFC 6901",
            "name: api, timeout: 1s, url: \""
                + http.url("/up")
                + "\", expect: {jsonPointer: no-slash}",
            CheckResult.Inconclusive,
            "expect.jsonPointer \"no-slash\" is not an RFC 6901 pointer"),
        healthCase(
            "Unicode and control characters in bodyContains and jsonValue",
            "name: api, timeout: 1s, url: \""
                + http.url("/up")
                + "\", expect: {jsonPointer: /redis, jsonValue: \"\\u00e9\\u0007\"}",
            CheckResult.Failed,
            "/redis is \"up\", expected \"é\u0007\""));
  }

  /** A health check that must end with {@code result} and {@code message}: never Passed. */
  private BadInput healthCase(String input, String check, CheckResult result, String message) {
    return new BadInput(
        input,
        "health check " + result + ": " + message,
        () -> {
          String name = "health-" + Integer.toHexString(input.hashCode());
          app(name);
          create(
              name,
              """
              healthChecks:
                - {%s, attempts: 1}
              rollbackOnFailure: false
              """
                  .formatted(check));
          HealthCheckStatus h =
              await(name + " health check")
                  .atMost(Duration.ofSeconds(30))
                  .pollInterval(Duration.ofMillis(200))
                  .until(
                      () ->
                          Optional.ofNullable(fx.get(name).getStatus())
                              .flatMap(s -> s.getHealthChecks().stream().findFirst())
                              .orElse(null),
                      s -> s != null && s.getResult() != null);
          assertThat(h.getResult()).isEqualTo(result);
          assertThat(h.getMessage()).contains(message);
          // A failed check disproves the change (Failed: rollbackOnFailure is off); a check that
          // could not run proves nothing, so the change stays unverified, never a pass.
          boolean failed = result == CheckResult.Failed;
          CacheMode cm = fx.awaitPhase(name, failed ? Phase.Failed : Phase.Verifying);
          assertThat(condition(cm, Conditions.VERIFIED))
              .hasValueSatisfying(
                  c -> assertThat(c.getStatus()).isEqualTo(failed ? "False" : "Unknown"));
        });
  }

  // ---------------------------------------------------------------- request meters

  private Stream<BadInput> meters() {
    return Stream.of(
        meterCase(
            "malformed Prometheus JSON",
            prometheus("/prometheus-malformed"),
            "Prometheus answered HTTP 200 with a body that is not JSON"),
        meterCase(
            "a Prometheus reply of 5 MiB (cut at 4 MiB)",
            prometheus("/prometheus-huge"),
            "Prometheus answered HTTP 200 with a body that is not JSON"),
        meterCase(
            "a Prometheus vector whose result is a string",
            prometheus("/prometheus-shape"),
            "Prometheus answered a vector without a result array"),
        meterCase(
            "a Prometheus rate of NaN", prometheus("/prometheus-nan"), "the query returned NaN"),
        meterCase(
            "a slow-loris Prometheus",
            "prometheus: {url: \"http://127.0.0.1:" + slowLoris.port() + "\", query: up}",
            "Prometheus: timed out after 10s"),
        meterCase(
            "malformed Upstash JSON",
            upstash("/upstash-malformed"),
            "Upstash API answered HTTP 200 with a body that is not JSON"),
        meterCase(
            "Upstash stats of the wrong types",
            upstash("/upstash-types"),
            "Upstash dailyrequests (all commands: no GET series) has no usable data points"),
        meterCase(
            "an Upstash reply of 6 MiB (cut at 4 MiB)",
            upstash("/upstash-huge"),
            "Upstash API answered HTTP 200 with a body that is not JSON"),
        redisCase(
            "a truncated Redis INFO reply",
            "redis://127.0.0.1:" + truncatedInfo.port(),
            "Redis at 127.0.0.1:"
                + truncatedInfo.port()
                + ": connection to 127.0.0.1:"
                + truncatedInfo.port()
                + " failed: JedisConnectionException Unexpected end of stream."),
        redisCase(
            "a Redis INFO with non-numeric counters (method CommandStats)",
            "redis://127.0.0.1:" + malformedInfo.port(),
            "Redis at 127.0.0.1:"
                + malformedInfo.port()
                + " answered INFO commandstats in an unexpected format"),
        redisCase(
            "a Redis that never answers",
            "redis://127.0.0.1:" + silent.port(),
            "Redis at 127.0.0.1:" + silent.port() + ": timed out after 10s"),
        redisCase(
            "rediss:// to a certificate the operator does not trust",
            tlsRedis.url(),
            "Redis at 127.0.0.1:"
                + tlsRedis.port()
                + ": TLS handshake failed: PKIX path building failed"),
        redisCase(
            "a Redis URL with Unicode and control characters",
            "not a url " + UNICODE_AND_CONTROL,
            "key url is not a redis:// or rediss:// URL with a host"),
        flyCase(
            "malformed Fly Machines JSON",
            http.url("/fly-malformed"),
            "fly-malformed",
            "/v1/apps/fly-malformed/machines returned a body that is not JSON"),
        flyCase(
            "a Fly Machines reply of 10 MiB",
            http.url("/fly-huge"),
            "fly-huge",
            "/v1/apps/fly-huge/machines returned more than 8 MiB"),
        flyCase(
            "a Fly API that never answers",
            "http://127.0.0.1:" + silent.port(),
            "fly-silent",
            "Fly API GET /v1/apps/fly-silent/machines failed: SocketTimeoutException"),
        flyCase(
            "a Fly apiUrl with a control character",
            "http://fly\\u0007",
            "fly-ctrl",
            "spec.target.fly.apiUrl: http://fly\u0007 is not an http(s) URL"));
  }

  private String prometheus(String path) {
    return "prometheus: {url: \""
        + http.url(path)
        + "\", query: \"sum(rate(redis_commands_total[1m])) \\u00e9\\u0007\"}";
  }

  private String upstash(String path) {
    return "upstash: {databaseId: db-1, credentialsSecretRef: {name: upstash-api}, apiUrl: \""
        + http.url(path)
        + "\"}";
  }

  /** A request meter that must leave the verdict Inconclusive with {@code message}. */
  private BadInput meterCase(String input, String source, String message) {
    return new BadInput(
        input,
        "RequestsReduced=Unknown Inconclusive: " + message,
        () -> {
          String name = "meter-" + Integer.toHexString(input.hashCode());
          app(name);
          if (client.secrets().inNamespace(ns).withName("upstash-api").get() == null) {
            fx.secret("upstash-api", Map.of("email", "ops@example.com", "apiKey", "upstash-0123"));
          }
          create(
              name,
              """
              requestMetrics:
                %s
                window: 2s
              """
                  .formatted(source));
          CacheMode cm = fx.awaitCondition(name, Conditions.REQUESTS_REDUCED, Reasons.INCONCLUSIVE);
          assertThat(condition(cm, Conditions.REQUESTS_REDUCED))
              .hasValueSatisfying(
                  c -> {
                    assertThat(c.getStatus()).isEqualTo("Unknown");
                    assertThat(c.getMessage()).contains(message);
                  });
          assertThat(cm.getStatus().getPhase()).as("never a pass").isEqualTo(Phase.Verifying);
          assertThat(Serialization.asJson(cm.getStatus())).doesNotContain("upstash-0123");
        });
  }

  private BadInput redisCase(String input, String url, String message) {
    String name = "redis-" + Integer.toHexString(input.hashCode());
    return new BadInput(
        input,
        "RequestsReduced=Unknown Inconclusive: " + message,
        () -> {
          fx.secret(name + "-conn", Map.of("url", url));
          meterCase(
                  input,
                  "redis: {addressSecretRef: {name: "
                      + name
                      + "-conn, key: url}"
                      + (input.contains("CommandStats") ? ", method: CommandStats}" : "}"),
                  message)
              .check()
              .run();
        });
  }

  private BadInput flyCase(String input, String apiUrl, String app, String message) {
    return new BadInput(
        input,
        "SpecValid or Ready False naming the Fly API problem: " + message,
        () -> {
          if (client.secrets().inNamespace(ns).withName("fly-api").get() == null) {
            fx.secret("fly-api", Map.of("token", "FlyV1 fm2_not-a-real-token"));
          }
          fx.create(
              """
              apiVersion: cachemode.io/v1alpha1
              kind: CacheMode
              metadata: {name: %s}
              spec:
                suspend: true
                target:
                  fly: {app: %s, tokenSecretRef: {name: fly-api, key: token}, apiUrl: "%s"}
                rollout: {settle: 0s}
              """
                  .formatted(app, app, apiUrl));
          await(app + " not Ready, saying why")
              .atMost(Duration.ofSeconds(40))
              .pollInterval(Duration.ofMillis(200))
              .untilAsserted(
                  () -> {
                    CacheMode c = fx.get(app);
                    assertThat(c.getStatus()).isNotNull();
                    assertThat(condition(c, Conditions.READY))
                        .as(Serialization.asJson(c.getStatus()))
                        .hasValueSatisfying(
                            r -> {
                              assertThat(r.getStatus()).isNotEqualTo("True");
                              assertThat(r.getMessage()).contains(message);
                            });
                  });
          CacheMode cm = fx.get(app);
          assertThat(Serialization.asJson(cm.getStatus())).doesNotContain("fm2_not-a-real-token");
        });
  }

  // ---------------------------------------------------------------- helpers

  /** A Secret {@code <name>-env} holding false and a Deployment {@code name} of no replicas. */
  private void app(String name) {
    fx.secret(name + "-env", Map.of("SUSPEND_REDIS", "false"));
    deployment(name);
  }

  private void deployment(String name) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .resource(Fixtures.deploymentOf(name, 0).build())
        .create();
  }

  /** A CacheMode suspending {@code <name>-env} for Deployment {@code name}, plus {@code extra}. */
  private void create(String name, String extra) {
    fx.create(
        cacheModeYaml(name, name + "-env", "[{kind: Deployment, name: " + name + "}]", extra));
  }

  private static String cacheModeYaml(String name, String secret, String workloads, String extra) {
    return """
        apiVersion: cachemode.io/v1alpha1
        kind: CacheMode
        metadata: {name: %s}
        spec:
          suspend: true
          target:
            kubernetes:
              secretRef: {name: %s}
              workloads: %s
          rollout: {settle: 0s, timeout: 1m}
        %s
        """
        .formatted(name, secret, workloads, extra.indent(2));
  }

  private void specInvalid(String name, String reason, String message) {
    CacheMode cm = fx.awaitCondition(name, Conditions.SPEC_VALID, reason);
    assertThat(condition(cm, Conditions.SPEC_VALID))
        .hasValueSatisfying(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getMessage()).contains(message);
            });
    assertThat(cm.getStatus().getPhase()).isEqualTo(Phase.Pending);
    awaitEvent(name, reason, message);
  }

  private void awaitEvent(String name, String reason, String message) {
    await(name + " event " + reason)
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(fx.events(name))
                    .filteredOn(e -> e.getReason().equals(reason))
                    .extracting(Event::getMessage)
                    .anySatisfy(m -> assertThat(m).contains(message)));
  }

  /**
   * A case sent untyped through admission with {@code path} set to {@code value} (null removes it)
   * in an otherwise valid CacheMode; it must be refused with every fragment and not stored.
   */
  private BadInput refusedCase(String input, String path, Object value, String... fragments) {
    return new BadInput(
        input,
        "refused: " + String.join(" … ", fragments),
        () -> {
          Map<String, Object> cm = validCacheMode(path);
          set(cm, path, value);
          assertThatThrownBy(
                  () -> {
                    untyped().resource(resource(cm)).create();
                    // Admitted by mistake: removed, so the next case starts clean.
                    untyped().withName("admission").delete();
                  })
              .isInstanceOf(KubernetesClientException.class)
              .satisfies(
                  e -> {
                    for (String f : fragments) {
                      assertThat(e.getMessage()).contains(f);
                    }
                  });
          assertThat(untyped().list().getItems())
              .extracting(r -> r.getMetadata().getName())
              .doesNotContain("admission");
        });
  }

  /**
   * A CacheMode that admission accepts, using every section; a Fly target, Prometheus or Upstash
   * replaces the defaults when {@code path} is about them.
   */
  @SuppressWarnings("unchecked")
  private Map<String, Object> validCacheMode(String path) {
    Map<String, Object> cm =
        Serialization.unmarshal(
            """
            apiVersion: cachemode.io/v1alpha1
            kind: CacheMode
            metadata: {name: admission}
            spec:
              suspend: true
              target:
                kubernetes:
                  secretRef: {name: app-env, key: SUSPEND_REDIS}
                  workloads: [{kind: Deployment, name: app}]
              rollout: {timeout: 2m, settle: 1s}
              healthChecks:
                - {name: api, url: "http://127.0.0.1:1/health", timeout: 1s, interval: 1s, expect: {status: 200}}
              logChecks:
                - {name: suspended, container: app, contains: REDIS SUSPENDED, within: 1m}
              requestMetrics:
                redis: {addressSecretRef: {name: redis-conn, key: url}}
                window: 5s
                sampleWindow: 5s
                interval: 1m
                watchFor: 1m
                pricePer100kRequests: "0.20"
              verification: {deadline: 5m}
            """,
            Map.class);
    Map<String, Object> spec = spec(cm);
    Map<String, Object> metrics = (Map<String, Object>) spec.get("requestMetrics");
    if (path.startsWith("spec.requestMetrics.prometheus")) {
      metrics.remove("redis");
      metrics.put(
          "prometheus",
          new LinkedHashMap<>(
              Map.of(
                  "url",
                  "http://127.0.0.1:1",
                  "query",
                  "up",
                  "bearerTokenSecretRef",
                  new LinkedHashMap<>(Map.of("name", "prom", "key", "token")))));
    } else if (path.startsWith("spec.requestMetrics.upstash")) {
      metrics.remove("redis");
      metrics.put(
          "upstash",
          new LinkedHashMap<>(
              Map.of(
                  "databaseId",
                  "db-1",
                  "apiUrl",
                  "http://127.0.0.1:1",
                  "credentialsSecretRef",
                  new LinkedHashMap<>(
                      Map.of("name", "upstash", "emailKey", "email", "apiKeyKey", "apiKey")))));
    } else if (path.startsWith("spec.target.fly")) {
      spec.remove("logChecks"); // log checks need a Kubernetes target
      spec.put(
          "target",
          new LinkedHashMap<>(
              Map.of(
                  "fly",
                  new LinkedHashMap<>(
                      Map.of(
                          "app",
                          "shop",
                          "key",
                          "SUSPEND_REDIS",
                          "tokenSecretRef",
                          new LinkedHashMap<>(Map.of("name", "fly-api", "key", "token")))))));
    }
    return cm;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(Map<String, Object> cm) {
    return (Map<String, Object>) cm.get("spec");
  }

  private Map<String, Object> cacheModeMap(String name) {
    Map<String, Object> cm =
        Serialization.unmarshal(
            cacheModeYaml(name, name + "-env", "[{kind: Deployment, name: " + name + "}]", ""),
            Map.class);
    return cm;
  }

  /** Sets a dotted path ("spec.healthChecks.0.name"); a null value removes the field. */
  @SuppressWarnings("unchecked")
  private static void set(Map<String, Object> root, String path, Object value) {
    String[] parts = path.split("\\.");
    Object node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      node =
          node instanceof List<?> list
              ? list.get(Integer.parseInt(parts[i]))
              : ((Map<String, Object>) node).get(parts[i]);
    }
    String last = parts[parts.length - 1];
    if (node instanceof List<?> list) {
      ((List<Object>) list).set(Integer.parseInt(last), value);
    } else if (value == null) {
      ((Map<String, Object>) node).remove(last);
    } else {
      ((Map<String, Object>) node).put(last, value);
    }
  }

  private GenericKubernetesResource resource(Map<String, Object> cm) {
    return Serialization.unmarshal(Serialization.asJson(cm), GenericKubernetesResource.class);
  }

  private NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      untyped() {
    return client
        .genericKubernetesResources(
            ApiConstants.GROUP + "/" + ApiConstants.VERSION, ApiConstants.KIND)
        .inNamespace(ns);
  }

  /**
   * A Redis stand-in that answers every command with +OK, and INFO with {@code infoReply} (raw RESP
   * bytes), then hangs up if {@code hangUp}.
   */
  private static ScriptedServer fakeRedis(String infoReply, boolean hangUp) {
    return ScriptedServer.start(
        (in, out) -> {
          for (List<String> command = readCommand(in); command != null; command = readCommand(in)) {
            if (command.get(0).equalsIgnoreCase("INFO")) {
              out.write(infoReply.getBytes(StandardCharsets.UTF_8));
              out.flush();
              if (hangUp) {
                return;
              }
              continue;
            }
            out.write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
          }
        });
  }

  /** One RESP array of bulk strings (how clients send commands), or null at the end. */
  private static List<String> readCommand(InputStream in) throws IOException {
    String header = readLine(in);
    if (header == null || !header.startsWith("*")) {
      return null;
    }
    List<String> args = new ArrayList<>();
    for (int i = Integer.parseInt(header.substring(1)); i > 0; i--) {
      int length = Integer.parseInt(readLine(in).substring(1));
      byte[] arg = in.readNBytes(length + 2);
      args.add(new String(arg, 0, length, StandardCharsets.UTF_8));
    }
    return args;
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
    return null;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }
}
