package io.cachemode.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.testing.ControlPlaneExtension;
import io.cachemode.operator.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * WATCH_NAMESPACES with two namespaces: the workload informers then run one per namespace, each
 * with its own trimmed store (TrimmedWorkloadStore), and the operator must serve both. The trimming
 * is the cache's only: what the API server holds keeps its managedFields and kubectl's annotation.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatchedNamespacesIT {
  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  private static final String DIGEST = "fa61a13817d73a23";

  private KubernetesClient client;
  private String first;
  private String second;
  private RunningOperator operator;

  @BeforeAll
  void start(KubernetesClient c, TestNamespace namespace) {
    client = c;
    first = namespace.name();
    second = first + "-b";
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(second).endMetadata().build())
        .create();
    operator = RunningOperator.watching(client, Set.of(first, second));
  }

  @AfterAll
  void stop() {
    if (operator != null) {
      operator.close();
    }
    client.namespaces().withName(second).delete();
  }

  @Test
  void eachWatchedNamespaceIsServedAndTheServersCopiesKeepWhatTheCacheDrops() {
    for (String ns : List.of(first, second)) {
      var fx = new Fixtures(client, ns);
      fx.secret("atom-env", Map.of("SUSPEND_REDIS", DIGEST));
      Deployment d = Fixtures.deploymentOf("atom", 1).build();
      d.getMetadata().setAnnotations(Map.of(LAST_APPLIED, "{\"kind\":\"Deployment\"}"));
      fx.deployment(d);
      fx.cacheMode("atom-redis", true, "atom-env", "atom");
    }
    for (String ns : List.of(first, second)) {
      var fx = new Fixtures(client, ns);
      var cm = fx.awaitPhase("atom-redis", Phase.Suspended);
      assertThat(fx.secretValue("atom-env", "SUSPEND_REDIS")).as(ns).isEqualTo("true");
      assertThat(fx.templateAnnotations("atom"))
          .as(ns)
          .containsEntry(ApiConstants.FLAG_HASH_ANNOTATION, cm.getStatus().getAppliedValueHash());
      assertThat(fx.replicaSets("atom")).as(ns + ": exactly one restart").hasSize(2);

      Deployment onServer = client.apps().deployments().inNamespace(ns).withName("atom").get();
      assertThat(onServer.getMetadata().getAnnotations()).as(ns).containsKey(LAST_APPLIED);
      assertThat(onServer.getMetadata().getManagedFields())
          .as(ns + ": the creator's and the operator's field managers")
          .extracting(f -> f.getManager())
          .contains(ApiConstants.FIELD_MANAGER)
          .hasSizeGreaterThan(1);
    }
  }
}
