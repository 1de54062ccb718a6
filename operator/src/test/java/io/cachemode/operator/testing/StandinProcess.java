package io.cachemode.operator.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The demo's stand-in app ({@code testenv/standin}) playing one Deployment of the {@link
 * LocalControlPlane}, started as {@code testenv/demo.sh} starts it: it sends the app's GETs to a
 * Redis while the pods read the flag as false, serves {@code /api/health} on a free loopback port,
 * and writes each pod's log where kwok serves it.
 *
 * <pre>{@code
 * try (StandinProcess app = StandinProcess.start(ns, "atom-saas", "SUSPEND_REDIS", redis.url())) {
 *   app.awaitHealthContaining("Redis: connected");
 * }
 * }</pre>
 */
public final class StandinProcess implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(60);

  private final Process process;
  private final Path dir;
  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private StandinProcess(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /**
   * Starts the stand-in for a Deployment whose code reads {@code variable} under the incident's
   * parse rule.
   */
  public static StandinProcess start(
      String namespace, String deployment, String variable, String redisUrl) throws IOException {
    LocalControlPlane plane = LocalControlPlane.get();
    Path binary = plane.standinBinary();
    Path dir = Files.createTempDirectory("cachemode-standin-");
    int port = RedisServerProcess.freePort();
    List<String> command =
        List.of(
            binary.toString(),
            "--kubeconfig",
            plane.kubeconfigPath().toString(),
            "--namespace",
            namespace,
            "--deployment",
            deployment,
            "--env",
            variable,
            "--redis",
            redisUrl,
            "--listen",
            "127.0.0.1:" + port,
            "--log-dir",
            dir.resolve("pod-logs").toString());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("standin.log").toFile())
            .redirectInput(new File("/dev/null"))
            .start();
    return new StandinProcess(process, dir, port);
  }

  /** The health URL, as a CacheMode's health check names it. */
  public String healthUrl() {
    return "http://127.0.0.1:" + port + "/api/health";
  }

  /** The body of {@code /api/health}, or the reason it could not be read. */
  public String health() {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(healthUrl()))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() + " " + r.body();
    } catch (IOException e) {
      return "unreachable: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits until the health body contains {@code text}; fails with the stand-in's log if not. */
  public void awaitHealthContaining(String text) {
    await("stand-in health containing \"" + text + "\"; its log:\n" + logTail())
        .atMost(STARTUP)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("the stand-in exited: " + logTail());
              }
              return health().contains(text);
            });
  }

  /** Where the pods' log files are written. */
  public Path podLogDir() {
    return dir.resolve("pod-logs");
  }

  /** The stand-in's own log (what it decided per pod and its GET rate). */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("standin.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
  }
}
