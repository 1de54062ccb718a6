package io.cachemode.operator.it;

import io.cachemode.operator.testing.ControlPlaneExtension;
import io.cachemode.operator.testing.SecretHygiene;
import io.cachemode.operator.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the integration tests: the operator runs in the test JVM and watches the test class's
 * namespace (and more, see {@link #watchedNamespaces()}).
 */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class OperatorInNamespace {
  protected KubernetesClient client;
  protected String ns;
  protected Fixtures fx;
  protected RunningOperator operator;
  protected SecretHygiene hygiene;
  private Set<String> watched;

  /**
   * The namespaces the operator watches: the test class's own, unless a class needs more; those are
   * made before the operator starts and deleted after it stops.
   */
  protected Set<String> watchedNamespaces() {
    return Set.of(ns);
  }

  @BeforeAll
  void startOperator(KubernetesClient c, TestNamespace namespace) {
    client = c;
    ns = namespace.name();
    hygiene = SecretHygiene.watching(c, ns);
    fx = new Fixtures(c, ns, hygiene::sensitive);
    watched = watchedNamespaces();
    for (String other : others()) {
      c.namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(other).endMetadata().build())
          .create();
    }
    operator = RunningOperator.watching(c, watched);
  }

  private List<String> others() {
    return watched.stream().filter(n -> !n.equals(ns)).toList();
  }

  /** Stops the operator and starts a new one, as a pod restart or a new leader would. */
  protected void restartOperator() {
    hygiene.exposed(operator.registry.scrape());
    operator.close();
    operator = RunningOperator.watching(client, watched);
  }

  /** Every test class ends with the secret-hygiene check over everything the operator exposed. */
  @AfterAll
  void stopOperator() {
    try {
      if (operator != null) {
        hygiene.exposed(operator.registry.scrape());
        operator.close();
      }
      hygiene.assertClean();
    } finally {
      hygiene.close();
      others().forEach(other -> client.namespaces().withName(other).delete());
    }
  }
}
