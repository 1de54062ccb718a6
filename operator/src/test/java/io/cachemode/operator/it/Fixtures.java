package io.cachemode.operator.it;

import static org.awaitility.Awaitility.await;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.CacheModeSpec;
import io.cachemode.operator.api.Phase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.core.ConditionTimeoutException;

/** Objects and waits the integration tests share. */
public final class Fixtures {
  public static final String DIGEST = "fa61a13817d73a23";

  private final KubernetesClient client;
  private final String ns;
  private final java.util.function.Consumer<String> sensitive;

  /** Fixtures for a test without the secret-hygiene check (it has its own, or writes no Secret). */
  public Fixtures(KubernetesClient client, String ns) {
    this(client, ns, value -> {});
  }

  /**
   * @param sensitive told every value the tests put into a Secret, so the secret-hygiene check can
   *     look for it
   */
  public Fixtures(
      KubernetesClient client, String ns, java.util.function.Consumer<String> sensitive) {
    this.client = client;
    this.ns = ns;
    this.sensitive = sensitive;
  }

  public void secret(String name, Map<String, String> data) {
    data.values().forEach(sensitive);
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withStringData(data)
                .build())
        .create();
  }

  /**
   * What an app reading {@code SUSPEND_REDIS} from Secret {@code name} with the incident's rule
   * ({@code value.lower() == "true"}) would run with, followed through a watch.
   */
  public AtomicBoolean appReadsSuspend(String name) {
    AtomicBoolean suspended = new AtomicBoolean(false);
    Watch unused =
        client
            .secrets()
            .inNamespace(ns)
            .withName(name)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Secret s) {
                    String v = s.getData() == null ? null : s.getData().get("SUSPEND_REDIS");
                    suspended.set(
                        v != null
                            && new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)
                                .toLowerCase(java.util.Locale.ROOT)
                                .equals("true"));
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    return suspended;
  }

  public String secretValue(String name, String key) {
    var data = client.secrets().inNamespace(ns).withName(name).get().getData();
    return data.containsKey(key)
        ? new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8)
        : null;
  }

  /**
   * A Deployment of a placeholder image whose pods kwok runs; callers may adjust it before creating
   * it.
   */
  public static DeploymentBuilder deploymentOf(String name, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("example/app:1")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec();
  }

  /** A one-replica StatefulSet of a placeholder image whose pod kwok runs. */
  public static StatefulSetBuilder statefulSetOf(String name) {
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withServiceName(name)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName(name)
        .withImage("example/" + name + ":1")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec();
  }

  /** Creates {@link #deploymentOf} and waits until all its replicas are available. */
  public Deployment deployment(String name, int replicas) {
    return deployment(deploymentOf(name, replicas).build());
  }

  /** Creates {@code d} and waits until all its replicas are available. */
  public Deployment deployment(Deployment d) {
    String name = d.getMetadata().getName();
    client.apps().deployments().inNamespace(ns).resource(d).create();
    await("deployment " + name + " available")
        .atMost(Duration.ofMinutes(2))
        .until(() -> available(name) == d.getSpec().getReplicas());
    return client.apps().deployments().inNamespace(ns).withName(name).get();
  }

  public int available(String deployment) {
    var s = client.apps().deployments().inNamespace(ns).withName(deployment).get().getStatus();
    return s == null || s.getAvailableReplicas() == null ? 0 : s.getAvailableReplicas();
  }

  public List<ReplicaSet> replicaSets(String deployment) {
    return client
        .apps()
        .replicaSets()
        .inNamespace(ns)
        .withLabel("app", deployment)
        .list()
        .getItems();
  }

  /** The Deployment's own annotations, e.g. its rollout revision. */
  public Map<String, String> deploymentAnnotations(String deployment) {
    var a =
        client
            .apps()
            .deployments()
            .inNamespace(ns)
            .withName(deployment)
            .get()
            .getMetadata()
            .getAnnotations();
    return a == null ? Map.of() : a;
  }

  public Map<String, String> templateAnnotations(String deployment) {
    var a =
        client
            .apps()
            .deployments()
            .inNamespace(ns)
            .withName(deployment)
            .get()
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations();
    return a == null ? Map.of() : a;
  }

  public CacheMode cacheMode(String name, boolean suspend, String secret, String deployment) {
    String yaml =
        """
        apiVersion: cachemode.io/v1alpha1
        kind: CacheMode
        metadata: {name: %s}
        spec:
          suspend: %s
          target:
            kubernetes:
              secretRef: {name: %s}
              workloads: [{kind: Deployment, name: %s}]
          rollout: {timeout: 2m}
        """
            .formatted(name, suspend, secret, deployment);
    return create(yaml);
  }

  public CacheMode create(String yaml) {
    CacheMode cm = Serialization.unmarshal(yaml, CacheMode.class);
    return client.resources(CacheMode.class).inNamespace(ns).resource(cm).create();
  }

  public CacheMode get(String name) {
    return client.resources(CacheMode.class).inNamespace(ns).withName(name).get();
  }

  public void editSpec(String name, java.util.function.Consumer<CacheModeSpec> edit) {
    client
        .resources(CacheMode.class)
        .inNamespace(ns)
        .withName(name)
        .edit(
            cm -> {
              edit.accept(cm.getSpec());
              return cm;
            });
  }

  public CacheMode awaitPhase(String name, Phase phase) {
    try {
      await(name + " reaches " + phase)
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  Optional.ofNullable(get(name).getStatus())
                      .map(s -> s.getPhase() == phase)
                      .orElse(false));
    } catch (ConditionTimeoutException e) {
      // The status it stopped at is what a person debugging the failure needs first.
      CacheMode cm = get(name);
      throw new AssertionError(
          e.getMessage()
              + "; its status:\n"
              + (cm == null ? "(deleted)" : Serialization.asYaml(cm.getStatus())),
          e);
    }
    return get(name);
  }

  /** Waits until condition {@code type} has {@code reason}; returns the CacheMode then. */
  public CacheMode awaitCondition(String name, String type, String reason) {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              CacheMode cm = get(name);
              return cm != null
                  && cm.getStatus() != null
                  && condition(cm, type).map(c -> reason.equals(c.getReason())).orElse(false);
            });
    return get(name);
  }

  public static Optional<Condition> condition(CacheMode cm, String type) {
    return cm.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst();
  }

  public List<Event> events(String cacheMode) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(
            e ->
                "CacheMode".equals(e.getInvolvedObject().getKind())
                    && cacheMode.equals(e.getInvolvedObject().getName()))
        .toList();
  }
}
