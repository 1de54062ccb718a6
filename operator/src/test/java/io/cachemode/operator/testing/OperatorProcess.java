package io.cachemode.operator.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged operator jar running as its own process, as it runs in a pod. */
public final class OperatorProcess implements AutoCloseable {
  private static final Pattern PORT = Pattern.compile("http port (\\d+)");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  public final String identity;
  private final Process process;
  private final Path log;
  private int port;

  /**
   * @param jvmOptions options for the JVM, e.g. a small {@code -Xmx} so that unbounded memory use
   *     shows as a crash rather than as a slow test
   */
  public OperatorProcess(
      Path jar,
      Path kubeconfig,
      String identity,
      Map<String, String> env,
      Path logDir,
      List<String> jvmOptions)
      throws IOException {
    this.identity = identity;
    this.log = logDir.resolve("operator-" + identity + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("POD_NAME", identity);
    pb.environment().put("HTTP_PORT", "0");
    pb.environment().putAll(env);
    process = pb.start();
    // A test JVM that is stopped (or times out) must not leave operators running behind it.
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
  }

  public OperatorProcess(
      Path jar, Path kubeconfig, String identity, Map<String, String> env, Path logDir)
      throws IOException {
    this(jar, kubeconfig, identity, env, logDir, List.of());
  }

  /** The port of /metrics, /healthz and /readyz, once the process has logged it. */
  public synchronized int httpPort() throws IOException, InterruptedException {
    if (port != 0) {
      return port;
    }
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      Matcher m = PORT.matcher(Files.readString(log));
      if (m.find()) {
        port = Integer.parseInt(m.group(1));
        return port;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "operator " + identity + " exited:\n" + Files.readString(log));
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "operator " + identity + " did not start:\n" + Files.readString(log));
  }

  /** An HTTP GET of {@code path} on the operator's port. */
  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The Prometheus exposition of /metrics. */
  public String metrics() throws IOException, InterruptedException {
    return get("/metrics").body();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook, no Lease release, like a node dying. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** SIGTERM, as Kubernetes stops a pod; true when the process exited within {@code grace}. */
  public boolean terminate(Duration grace) throws InterruptedException {
    process.destroy();
    return process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
