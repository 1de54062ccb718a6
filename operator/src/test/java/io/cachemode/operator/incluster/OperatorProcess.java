package io.cachemode.operator.incluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged operator jar running as its own process, as it runs in a pod. */
final class OperatorProcess implements AutoCloseable {
  private static final Pattern PORT = Pattern.compile("http port (\\d+)");

  final String identity;
  private final Process process;
  private final Path log;

  OperatorProcess(Path jar, Path kubeconfig, String identity, Map<String, String> env, Path logDir)
      throws IOException {
    this.identity = identity;
    this.log = logDir.resolve("operator-" + identity + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("POD_NAME", identity);
    pb.environment().put("HTTP_PORT", "0");
    pb.environment().putAll(env);
    process = pb.start();
  }

  /** The port of /metrics, /healthz and /readyz, once the process has logged it. */
  int httpPort() throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      Matcher m = PORT.matcher(Files.readString(log));
      if (m.find()) {
        return Integer.parseInt(m.group(1));
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

  /** SIGKILL: no shutdown hook, no Lease release, like a node dying. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      kill();
    }
  }
}
