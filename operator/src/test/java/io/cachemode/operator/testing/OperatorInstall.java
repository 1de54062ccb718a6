package io.cachemode.operator.testing;

import io.cachemode.operator.egress.OutboundPolicy;
import io.cachemode.operator.egress.Purpose;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator installed as in production: the chart (RBAC, ServiceAccount, admission policy)
 * installed with helm into a namespace, and the packaged jar started as separate processes that
 * authenticate with the chart's ServiceAccount token, as the operator pod does.
 */
public final class OperatorInstall implements AutoCloseable {
  private final KubernetesClient admin;
  private final String namespace;
  private final String release;
  private final String serviceAccount;
  private final List<String> watchNamespaces;
  private final Path work;
  private final List<OperatorProcess> processes = new ArrayList<>();
  private Path kubeconfig;

  private OperatorInstall(
      KubernetesClient admin,
      String namespace,
      String release,
      String serviceAccount,
      List<String> watchNamespaces,
      Path work) {
    this.admin = admin;
    this.namespace = namespace;
    this.release = release;
    this.serviceAccount = serviceAccount;
    this.watchNamespaces = watchNamespaces;
    this.work = work;
  }

  /**
   * Installs the chart as release {@code release} in {@code namespace}, its resources named {@code
   * fullname} (which is also the ServiceAccount), limited to {@code watchNamespaces}.
   *
   * @param values more {@code --set} values, e.g. {@code replicaCount=0}
   */
  public static OperatorInstall install(
      KubernetesClient admin,
      String namespace,
      String release,
      String fullname,
      List<String> watchNamespaces,
      String... values)
      throws IOException, InterruptedException {
    Path work = Files.createDirectories(Path.of("target", "operator-" + namespace));
    List<String> args =
        new ArrayList<>(
            List.of(
                "install",
                release,
                chart().toString(),
                "--namespace",
                namespace,
                "--set",
                "fullnameOverride=" + fullname,
                "--set",
                "watchNamespaces={" + String.join(",", watchNamespaces) + "}",
                "--wait",
                "--timeout",
                "3m"));
    for (String v : values) {
      args.addAll(List.of("--set", v));
    }
    String out = helm(args.toArray(String[]::new));
    if (!out.contains("STATUS: deployed")) {
      throw new IllegalStateException("helm install did not deploy:\n" + out);
    }
    return new OperatorInstall(admin, namespace, release, fullname, watchNamespaces, work);
  }

  public String namespace() {
    return namespace;
  }

  public String serviceAccount() {
    return serviceAccount;
  }

  /** Where process logs and kubeconfigs go. */
  public Path work() {
    return work;
  }

  /**
   * Settings that let the process reach the tests' servers (health endpoints, Redis, meters), which
   * listen on loopback: the default outbound policy allows only the cluster's Service names.
   */
  public static Map<String, String> loopbackEgress() {
    Map<String, String> env = new HashMap<>();
    for (Purpose p : Purpose.values()) {
      env.put(p.environmentVariable(), "localhost,127.0.0.0/8,::1");
    }
    env.put(OutboundPolicy.IN_CLUSTER_VARIABLE, "false");
    return env;
  }

  /** The environment of the chart's Deployment: leader election, namespaces to watch. */
  public Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("LEADER_ELECTION", "true");
    env.put("OPERATOR_NAMESPACE", namespace);
    env.put("WATCH_NAMESPACES", String.join(",", watchNamespaces));
    return env;
  }

  /**
   * A kubeconfig that authenticates as the chart's ServiceAccount, the way the operator pod does.
   */
  public synchronized Path kubeconfig() throws IOException {
    if (kubeconfig == null) {
      Config adminConfig = Config.fromKubeconfig(Files.readString(plane().kubeconfigPath()));
      kubeconfig = kubeconfig(adminConfig.getMasterUrl(), "operator.kubeconfig");
    }
    return kubeconfig;
  }

  /** The ServiceAccount's kubeconfig with another API server address (a proxy in front of it). */
  public Path kubeconfig(String server, String fileName) throws IOException {
    String token =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Config adminConfig = Config.fromKubeconfig(Files.readString(plane().kubeconfigPath()));
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: local, cluster: {server: "%s", certificate-authority-data: "%s"}}]
        users: [{name: operator, user: {token: "%s"}}]
        contexts: [{name: operator, context: {cluster: local, user: operator}}]
        current-context: operator
        """
            .formatted(server, adminConfig.getCaCertData(), token);
    Path file = work.resolve(fileName);
    Files.writeString(file, yaml);
    return file;
  }

  /** Starts the packaged operator with the chart's environment plus {@code env}. */
  public OperatorProcess start(String identity, Map<String, String> env) throws IOException {
    return start(identity, env, kubeconfig(), List.of());
  }

  public OperatorProcess start(
      String identity, Map<String, String> env, Path kubeconfig, List<String> jvmOptions)
      throws IOException {
    Map<String, String> all = environment();
    all.putAll(env);
    OperatorProcess p = new OperatorProcess(jar(), kubeconfig, identity, all, work, jvmOptions);
    synchronized (processes) {
      processes.add(p);
    }
    return p;
  }

  /** Who holds the operator's Lease, or null. */
  public String leaseHolder() {
    Lease lease = admin.leases().inNamespace(namespace).withName("cachemode-operator").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** The shaded jar {@code mvn package} built, as the image runs it. */
  public static Path jar() {
    Path jar = plane().repoRoot().resolve("operator/target/cachemode-operator.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run mvn package (or verify) first");
    }
    return jar;
  }

  public static Path chart() {
    return plane().repoRoot().resolve("charts/cachemode-operator");
  }

  /** Runs the testenv's helm against the local control plane; fails on a non-zero exit. */
  public static String helm(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(plane().binDir().resolve("helm").toString());
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--kubeconfig", plane().kubeconfigPath().toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("helm " + String.join(" ", args) + " failed:\n" + out);
    }
    return out;
  }

  private static LocalControlPlane plane() {
    return LocalControlPlane.get();
  }

  /** Stops every process started here, then uninstalls the chart. */
  @Override
  public void close() throws IOException, InterruptedException {
    synchronized (processes) {
      for (OperatorProcess p : processes) {
        p.close();
      }
      processes.clear();
    }
    helm("uninstall", release, "--namespace", namespace, "--wait");
  }
}
