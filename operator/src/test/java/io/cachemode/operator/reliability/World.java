package io.cachemode.operator.reliability;

import static org.awaitility.Awaitility.await;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.HistoryEntry;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.it.Fixtures;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the reliability tests read and arrange in one namespace of the real cluster. */
final class World {
  final KubernetesClient client;
  final String ns;
  final Fixtures fx;

  World(KubernetesClient client, String ns) {
    this.client = client;
    this.ns = ns;
    this.fx = new Fixtures(client, ns);
  }

  CacheMode cm(String name) {
    return fx.get(name);
  }

  Phase phase(String name) {
    CacheMode cm = cm(name);
    return cm == null || cm.getStatus() == null ? null : cm.getStatus().getPhase();
  }

  Optional<Condition> condition(String name, String type) {
    CacheMode cm = cm(name);
    return cm == null || cm.getStatus() == null ? Optional.empty() : Fixtures.condition(cm, type);
  }

  /** Whether condition {@code type} currently has {@code reason}. */
  boolean reason(String name, String type, String reason) {
    return condition(name, type).map(c -> reason.equals(c.getReason())).orElse(false);
  }

  List<Phase> history(String name) {
    return cm(name).getStatus().getHistory().stream().map(HistoryEntry::getTo).toList();
  }

  /**
   * Creates a CacheMode that suspends Redis through key SUSPEND_REDIS of Secret {@code secret},
   * restarting {@code workloads} (a YAML list), acting on edits at once; {@code extra} is more of
   * its spec (YAML at the spec's indentation).
   */
  CacheMode cacheMode(String name, String secret, String workloads, String extra) {
    return fx.create(
        """
        apiVersion: cachemode.io/v1alpha1
        kind: CacheMode
        metadata: {name: %s}
        spec:
          suspend: true
          target:
            kubernetes:
              secretRef: {name: %s}
              workloads: %s
          rollout: {settle: 0s}
        %s"""
            .formatted(name, secret, workloads, extra.indent(2)));
  }

  /** {@link #cacheMode} of Deployment {@code name} reading Secret {@code <name>-env}. */
  CacheMode cacheMode(String name, String extra) {
    return cacheMode(name, name + "-env", "[{kind: Deployment, name: %s}]".formatted(name), extra);
  }

  /** A one-replica Deployment whose pods read {@code secret} through envFrom, once available. */
  Deployment deployment(String name, String secret) {
    return fx.deployment(
        Fixtures.deploymentOf(name, 1)
            .editSpec()
            .editTemplate()
            .editSpec()
            .withContainers(container(secret))
            .endSpec()
            .endTemplate()
            .endSpec()
            .build());
  }

  /** A one-replica StatefulSet whose pods read {@code secret}, once ready. */
  StatefulSet statefulSet(String name, String secret) {
    StatefulSet s =
        new StatefulSetBuilder()
            .withNewMetadata()
            .withName(name)
            .addToLabels("app", name)
            .endMetadata()
            .withNewSpec()
            .withReplicas(1)
            .withServiceName(name)
            .withNewSelector()
            .addToMatchLabels("app", name)
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("app", name)
            .endMetadata()
            .withNewSpec()
            .withContainers(container(secret))
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    client.apps().statefulSets().inNamespace(ns).resource(s).create();
    await("statefulset " + name + " ready")
        .atMost(Duration.ofMinutes(2))
        .until(
            () -> {
              var st =
                  client.apps().statefulSets().inNamespace(ns).withName(name).get().getStatus();
              return st != null && Integer.valueOf(1).equals(st.getReadyReplicas());
            });
    return s;
  }

  private static Container container(String secret) {
    return new ContainerBuilder()
        .withName("app")
        .withImage("example/app:1")
        .addNewEnvFrom()
        .withNewSecretRef(secret, false)
        .endEnvFrom()
        .build();
  }

  int replicaSets(String deployment) {
    return fx.replicaSets(deployment).size();
  }

  /** A StatefulSet's ControllerRevisions: one per distinct pod template it has run. */
  int revisions(String statefulSet) {
    return client
        .apps()
        .controllerRevisions()
        .inNamespace(ns)
        .withLabel("app", statefulSet)
        .list()
        .getItems()
        .size();
  }

  Map<String, String> statefulSetTemplate(String name) {
    var a =
        client
            .apps()
            .statefulSets()
            .inNamespace(ns)
            .withName(name)
            .get()
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations();
    return a == null ? Map.of() : a;
  }
}
