package io.cachemode.operator.reliability;

import io.cachemode.operator.testing.ControlPlaneExtension;
import io.cachemode.operator.testing.LocalHttpServer;
import io.cachemode.operator.testing.OperatorInstall;
import io.cachemode.operator.testing.OperatorProcess;
import io.cachemode.operator.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the reliability suites: the chart installed in the class's namespace (no operator pods:
 * the tests start the packaged jar themselves, as the chart's ServiceAccount) watching an app
 * namespace of its own, and a loopback HTTP server for the apps' health endpoints.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InstalledOperator {
  KubernetesClient admin;
  String appNs;
  OperatorInstall install;
  World world;
  final LocalHttpServer http = new LocalHttpServer();

  /** The chart's release name; its resources are named {@code cachemode-<release>}. */
  abstract String release();

  @BeforeAll
  void installChart(KubernetesClient client, TestNamespace ns) throws Exception {
    admin = client;
    appNs = ns.name() + "-app";
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(appNs).endMetadata().build())
        .create();
    install =
        OperatorInstall.install(
            admin,
            ns.name(),
            release(),
            "cachemode-" + release(),
            List.of(appNs),
            "replicaCount=0");
    world = new World(admin, appNs);
  }

  /**
   * The packaged operator as the chart's ServiceAccount, allowed to reach the tests' servers on
   * loopback, with {@code env} on top.
   */
  OperatorProcess operator(String identity, Map<String, String> env, Path kubeconfig)
      throws IOException {
    Map<String, String> all = new HashMap<>(OperatorInstall.loopbackEgress());
    all.putAll(env);
    return install.start(identity, all, kubeconfig, List.of());
  }

  OperatorProcess operator(String identity) throws IOException {
    return operator(identity, Map.of(), install.kubeconfig());
  }

  @AfterAll
  void uninstallChart() throws Exception {
    http.close();
    if (install != null) {
      install.close();
    }
    admin.namespaces().withName(appNs).delete();
  }
}
