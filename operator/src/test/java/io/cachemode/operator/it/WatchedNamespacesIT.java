package io.cachemode.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.Phase;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * WATCH_NAMESPACES with two namespaces: the workload informers then run one per namespace, each
 * with its own trimmed store (TrimmedWorkloadStore), and the operator must serve both. The trimming
 * is the cache's only: what the API server holds keeps its managedFields and kubectl's annotation.
 */
class WatchedNamespacesIT extends OperatorInNamespace {
  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  private static final String DIGEST = "fa61a13817d73a23";

  private String second() {
    return ns + "-b";
  }

  @Override
  protected Set<String> watchedNamespaces() {
    return Set.of(ns, second());
  }

  private Fixtures fixtures(String namespace) {
    return namespace.equals(ns) ? fx : new Fixtures(client, namespace, hygiene::sensitive);
  }

  @Test
  void eachWatchedNamespaceIsServedAndTheServersCopiesKeepWhatTheCacheDrops() {
    for (String namespace : List.of(ns, second())) {
      var f = fixtures(namespace);
      f.secret("atom-env", Map.of("SUSPEND_REDIS", DIGEST));
      Deployment d = Fixtures.deploymentOf("atom", 1).build();
      d.getMetadata().setAnnotations(Map.of(LAST_APPLIED, "{\"kind\":\"Deployment\"}"));
      f.deployment(d);
      f.cacheMode("atom-redis", true, "atom-env", "atom");
    }
    for (String namespace : List.of(ns, second())) {
      var f = fixtures(namespace);
      var cm = f.awaitPhase("atom-redis", Phase.Suspended);
      assertThat(f.secretValue("atom-env", "SUSPEND_REDIS")).as(namespace).isEqualTo("true");
      assertThat(f.templateAnnotations("atom"))
          .as(namespace)
          .containsEntry(ApiConstants.FLAG_HASH_ANNOTATION, cm.getStatus().getAppliedValueHash());
      assertThat(f.replicaSets("atom")).as(namespace + ": exactly one restart").hasSize(2);

      Deployment onServer =
          client.apps().deployments().inNamespace(namespace).withName("atom").get();
      assertThat(onServer.getMetadata().getAnnotations()).as(namespace).containsKey(LAST_APPLIED);
      assertThat(onServer.getMetadata().getManagedFields())
          .as(namespace + ": the creator's and the operator's field managers")
          .extracting(e -> e.getManager())
          .contains(ApiConstants.FIELD_MANAGER)
          .hasSizeGreaterThan(1);
    }
  }
}
