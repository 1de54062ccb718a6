package io.cachemode.operator.targets.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.KubernetesTargetSpec;
import io.cachemode.operator.api.WorkloadResult;
import io.cachemode.operator.targets.TargetException;
import io.cachemode.operator.targets.WorkloadState;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which reads of the Kubernetes target reach the API server: the informers' copies serve the looks
 * that decide nothing; a decision to write or restart reads afresh; a restart's effect is read from
 * the patch's answer.
 */
class KubernetesTargetReadsTest {
  private static final String SECRET_PATH = "/api/v1/namespaces/ns/secrets/app-env";
  private static final String DEPLOYMENT_PATH = "/apis/apps/v1/namespaces/ns/deployments/app";

  private final MockWebServer server = new MockWebServer();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final InformerCaches caches = new InformerCaches();
  private final ExecutorService freshReads = Executors.newCachedThreadPool();

  /** Holds the first fresh read's answer until the second read arrives, or 5 s at most. */
  private volatile CountDownLatch bothReads;

  private final AtomicBoolean readsApart = new AtomicBoolean();

  private KubernetesClient client;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            String path = r.getRequestUrl().encodedPath();
            requests.add(r.getMethod() + " " + path);
            CountDownLatch latch = bothReads;
            if (latch != null && r.getMethod().equals("GET")) {
              latch.countDown();
              try {
                if (!latch.await(5, TimeUnit.SECONDS)) {
                  readsApart.set(true);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            String body;
            if (path.equals(SECRET_PATH)) {
              body = Serialization.asJson(secret("false"));
            } else if (path.equals(DEPLOYMENT_PATH) && r.getMethod().equals("PATCH")) {
              body = Serialization.asJson(deployment(hashOf(r.getBody().readUtf8())));
            } else if (path.equals(DEPLOYMENT_PATH)) {
              body = Serialization.asJson(deployment(null));
            } else {
              return new MockResponse().setResponseCode(404).setBody("{}");
            }
            return new MockResponse()
                .setResponseCode(200)
                .setHeader("Content-Type", "application/json")
                .setBody(body);
          }
        });
    server.start(InetAddress.getLoopbackAddress(), 0);
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder()
                    .withMasterUrl(server.url("/").toString())
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    freshReads.shutdownNow();
    client.close();
    server.shutdown();
  }

  @Test
  void looksThatDecideNothingAreServedByTheInformersCopies() {
    cacheHolds(secret("false"), deployment("old"));
    KubernetesTarget target = target();

    assertThat(target.validate()).isEmpty();
    assertThat(target.readFlag().value()).contains("false");
    assertThat(target.rolloutState("new"))
        .extracting(WorkloadState::result)
        .containsExactly(WorkloadResult.Pending);
    assertThat(target.flagUse()).containsKey("Deployment app");
    assertThat(requests).as("no request to the API server").isEmpty();
  }

  @Test
  void aDecisionToActReadsAfreshAndARestartIsReadBackFromItsPatch() {
    cacheHolds(secret("true"), deployment("old"));
    KubernetesTarget target = target();
    target.validate();

    target.readFresh();
    assertThat(target.validate()).isEmpty();
    assertThat(target.readFlag().value())
        .as("the API server's copy, not the cache's")
        .contains("false");
    target.rolloutState("new");
    assertThat(requests).containsExactlyInAnyOrder("GET " + SECRET_PATH, "GET " + DEPLOYMENT_PATH);

    assertThat(target.restart("new", Instant.parse("2026-12-02T10:00:00Z")))
        .containsExactly("Deployment app");
    assertThat(target.rolloutState("new"))
        .extracting(WorkloadState::flagHash)
        .containsExactly("new");
    assertThat(requests)
        .as("no GET before or after the patch")
        .hasSize(3)
        .endsWith("PATCH " + DEPLOYMENT_PATH);
  }

  @Test
  void freshReadsOfTheSecretAndTheWorkloadsAreInFlightTogether() {
    cacheHolds(secret("true"), deployment("old"));
    KubernetesTarget target = target();
    CountDownLatch latch = new CountDownLatch(2);
    bothReads = latch;

    target.readFresh();
    assertThat(target.validate()).isEmpty();

    assertThat(readsApart)
        .as("each read arrived while the other was unanswered (one round trip, not two)")
        .isFalse();
    assertThat(target.readFlag().value()).contains("false");
    assertThat(requests).containsExactlyInAnyOrder("GET " + SECRET_PATH, "GET " + DEPLOYMENT_PATH);
  }

  @Test
  void aFailedFreshSecretReadFailsTheValidationWithTheApiError() {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            return r.getRequestUrl().encodedPath().equals(SECRET_PATH)
                ? new MockResponse().setResponseCode(403).setBody("{}")
                : new MockResponse()
                    .setResponseCode(200)
                    .setHeader("Content-Type", "application/json")
                    .setBody(Serialization.asJson(deployment(null)));
          }
        });
    KubernetesTarget target = target();
    target.readFresh();

    assertThatThrownBy(target::validate)
        .isInstanceOf(TargetException.class)
        .hasMessageContaining("Kubernetes API call failed")
        .hasMessageContaining("403");
  }

  @Test
  void whatTheInformersDoNotHoldYetIsAskedFor() {
    KubernetesTarget target = target();

    assertThat(target.validate()).isEmpty();
    assertThat(requests).containsExactlyInAnyOrder("GET " + SECRET_PATH, "GET " + DEPLOYMENT_PATH);
  }

  private void cacheHolds(Secret s, Deployment d) {
    caches.use(
        id -> Optional.of(s).filter(x -> id.getName().equals("app-env")),
        id -> Optional.<HasMetadata>of(d).filter(x -> id.getName().equals("app")),
        id -> Optional.empty());
  }

  private KubernetesTarget target() {
    KubernetesTargetSpec spec =
        Serialization.unmarshal(
            """
            secretRef: {name: app-env, key: SUSPEND_REDIS}
            workloads: [{kind: Deployment, name: app}]
            """,
            KubernetesTargetSpec.class);
    return new KubernetesTarget(client, caches, "ns", "app-redis", spec, freshReads);
  }

  private static Secret secret(String value) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("app-env")
        .withNamespace("ns")
        .withLabels(Map.of(ApiConstants.MANAGED_KEY_LABEL, "SUSPEND_REDIS"))
        .endMetadata()
        .withData(
            Map.of("SUSPEND_REDIS", java.util.Base64.getEncoder().encodeToString(value.getBytes())))
        .build();
  }

  private static Deployment deployment(String flagHash) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("app")
        .withNamespace("ns")
        .withGeneration(2L)
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withNewTemplate()
        .withNewMetadata()
        .withAnnotations(
            flagHash == null ? Map.of() : Map.of(ApiConstants.FLAG_HASH_ANNOTATION, flagHash))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .addNewEnvFrom()
        .withNewSecretRef()
        .withName("app-env")
        .endSecretRef()
        .endEnvFrom()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .withNewStatus()
        .withObservedGeneration(2L)
        .withReplicas(1)
        .withUpdatedReplicas(1)
        .withReadyReplicas(1)
        .withAvailableReplicas(1)
        .endStatus()
        .build();
  }

  /** The flag hash a restart patch sets on the template. */
  private static String hashOf(String patch) {
    Deployment d = Serialization.unmarshal(patch, Deployment.class);
    return d.getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get(ApiConstants.FLAG_HASH_ANNOTATION);
  }
}
