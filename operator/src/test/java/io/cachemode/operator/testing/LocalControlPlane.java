package io.cachemode.operator.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes control plane the tests of this JVM run against: one per JVM, created on first
 * use.
 *
 * <p>If the environment variable {@value #KUBECONFIG_ENV} names a kubeconfig, that cluster is used
 * and nothing is started or stopped. Otherwise {@code testenv/build.sh} builds (or finds) the
 * binaries and {@code testenv/up.sh} starts etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler and kwok with one fake node; {@code testenv/down.sh} stops them when the JUnit run
 * ends ({@link ControlPlaneExtension} registers that) or, at the latest, from a JVM shutdown hook.
 * up.sh also watches this JVM's pid and tears down by itself if the JVM dies without either.
 */
public final class LocalControlPlane {
  /** Use this cluster (a kubeconfig path) instead of starting one. */
  public static final String KUBECONFIG_ENV = "CACHEMODE_KUBECONFIG";

  private static LocalControlPlane instance;
  private static RuntimeException startFailure;

  private final Path repoRoot;
  private final Path kubeconfig;
  private final Path stateDir; // null when using an external cluster
  private Path binDir;
  private boolean stopped;

  private LocalControlPlane(Path repoRoot, Path kubeconfig, Path stateDir, Path binDir) {
    this.repoRoot = repoRoot;
    this.kubeconfig = kubeconfig;
    this.stateDir = stateDir;
    this.binDir = binDir;
  }

  /**
   * The control plane of this JVM, started on the first call. A failed start is remembered and
   * rethrown.
   */
  public static synchronized LocalControlPlane get() {
    if (startFailure != null) {
      throw startFailure;
    }
    if (instance == null) {
      try {
        instance = start();
      } catch (RuntimeException e) {
        startFailure = e;
        throw e;
      }
    }
    return instance;
  }

  private static LocalControlPlane start() {
    Path root = findRepoRoot();
    String external = System.getenv(KUBECONFIG_ENV);
    if (external != null && !external.isBlank()) {
      Path kubeconfig = Path.of(external).toAbsolutePath();
      if (!Files.isReadable(kubeconfig)) {
        throw new IllegalStateException(
            KUBECONFIG_ENV + "=" + external + " is not a readable file");
      }
      return new LocalControlPlane(root, kubeconfig, null, null);
    }
    Path bin = Path.of(runScript(root, Map.of(), "testenv/build.sh"));
    Path state;
    try {
      state = Files.createTempDirectory("cachemode-testenv-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long t0 = System.nanoTime();
    String owner = Long.toString(ProcessHandle.current().pid());
    Path kubeconfig =
        Path.of(
            runScript(
                root,
                Map.of("CACHEMODE_TESTENV_OWNER_PID", owner),
                "testenv/up.sh",
                state.toString()));
    System.err.printf(
        "[LocalControlPlane] started in %d ms, kubeconfig %s%n",
        (System.nanoTime() - t0) / 1_000_000, kubeconfig);
    LocalControlPlane plane = new LocalControlPlane(root, kubeconfig, state, bin);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(LocalControlPlane::shutdown, "cachemode-testenv-down"));
    return plane;
  }

  /**
   * Stops the control plane if this JVM started it (idempotent). Called when the JUnit run ends and
   * from the shutdown hook.
   */
  static synchronized void shutdown() {
    LocalControlPlane plane = instance;
    if (plane == null || plane.stopped || plane.stateDir == null) {
      return;
    }
    plane.stopped = true;
    instance = null;
    runScript(plane.repoRoot, Map.of(), "testenv/down.sh", plane.stateDir.toString());
  }

  /** Path of an admin kubeconfig for this cluster. */
  public Path kubeconfigPath() {
    return kubeconfig;
  }

  /**
   * A new Fabric8 client (OkHttp) for this cluster, authenticated as admin. The caller closes it.
   */
  public KubernetesClient newClient() {
    Config config = Config.fromKubeconfig(kubeconfig.toFile());
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new OkHttpClientFactory())
        .build();
  }

  /**
   * Directory with kubectl, helm, kwok and the control-plane binaries (built on first call for an
   * external cluster).
   */
  public synchronized Path binDir() {
    if (binDir == null) {
      binDir = Path.of(runScript(repoRoot, Map.of(), "testenv/build.sh"));
    }
    return binDir;
  }

  /** The demo's stand-in app, testenv/standin, built (or found) by {@code testenv/build.sh}. */
  public Path standinBinary() {
    return Path.of(runScript(repoRoot, Map.of(), "testenv/build.sh", "standin"));
  }

  /** The repository root (the directory holding {@code testenv/up.sh}). */
  public Path repoRoot() {
    return repoRoot;
  }

  /**
   * The state directory (logs, pids, pki) of the control plane this JVM started; empty for an
   * external cluster.
   */
  public Optional<Path> stateDir() {
    return Optional.ofNullable(stateDir);
  }

  /** Walks up from the working directory to the directory that contains {@code testenv/up.sh}. */
  static Path findRepoRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("testenv/up.sh"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no testenv/up.sh above "
            + Path.of("").toAbsolutePath()
            + "; run the tests inside the repository");
  }

  /**
   * Runs a repository script and returns the last line it printed on stdout. Its stderr is copied
   * to this JVM's stderr while it runs; a non-zero exit raises an exception that quotes the end of
   * stderr.
   */
  private static String runScript(
      Path root, Map<String, String> env, String script, String... args) {
    List<String> command = new ArrayList<>();
    command.add(root.resolve(script).toString());
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(root.toFile()).redirectInput(new File("/dev/null"));
    pb.environment().putAll(env);
    Deque<String> stderrTail = new ArrayDeque<>();
    try {
      Process process = pb.start();
      Thread pump =
          new Thread(
              () -> {
                try (BufferedReader err = reader(process.getErrorStream())) {
                  for (String line; (line = err.readLine()) != null; ) {
                    System.err.println(line);
                    synchronized (stderrTail) {
                      stderrTail.addLast(line);
                      if (stderrTail.size() > 40) {
                        stderrTail.removeFirst();
                      }
                    }
                  }
                } catch (IOException ignored) {
                  // the process went away; its exit code tells the rest
                }
              },
              "testenv-stderr");
      pump.setDaemon(true);
      pump.start();
      String last = "";
      try (BufferedReader out = reader(process.getInputStream())) {
        for (String line; (line = out.readLine()) != null; ) {
          if (!line.isBlank()) {
            last = line.strip();
          }
        }
      }
      int exit = process.waitFor();
      pump.join(5_000);
      if (exit != 0) {
        String tail;
        synchronized (stderrTail) {
          tail = String.join("\n", stderrTail);
        }
        throw new IllegalStateException(script + " failed with exit code " + exit + ":\n" + tail);
      }
      return last;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + script, e);
    }
  }

  private static BufferedReader reader(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }
}
