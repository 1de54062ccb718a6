package io.cachemode.operator.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A real {@code redis-server} (the Debian package) on a free loopback port, started before each
 * test and stopped after it, with no persistence and its own temporary directory.
 *
 * <pre>{@code
 * @RegisterExtension final RedisServerProcess redis = RedisServerProcess.withPassword("s3cret");
 * }</pre>
 *
 * Fails, rather than skips, when {@code redis-server} is not installed: CI installs it.
 */
public final class RedisServerProcess
    implements BeforeEachCallback, AfterEachCallback, AutoCloseable {

  private static final Duration STARTUP = Duration.ofSeconds(10);

  private final String password;
  private final TestTls tls;
  private Process process;
  private Path dir;
  private int port;

  private RedisServerProcess(String password, TestTls tls) {
    this.password = password;
    this.tls = tls;
  }

  public static RedisServerProcess withoutPassword() {
    return new RedisServerProcess(null, null);
  }

  public static RedisServerProcess withPassword(String password) {
    return new RedisServerProcess(password, null);
  }

  /**
   * Serves only TLS (no plain port), with the server certificate of {@code tls}; clients need no
   * certificate of their own.
   */
  public static RedisServerProcess withTls(TestTls tls) {
    return new RedisServerProcess(null, tls);
  }

  public int port() {
    return port;
  }

  /** {@code redis://[:password@]127.0.0.1:port}, or {@code rediss://} with TLS. */
  public String url() {
    return (tls == null ? "redis://" : "rediss://")
        + (password == null ? "" : ":" + password + "@")
        + "127.0.0.1:"
        + port;
  }

  /** A client authenticated like the application would be. */
  public Jedis client() {
    DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().password(password);
    if (tls != null) {
      config.ssl(true).sslSocketFactory(tls.clientSocketFactory());
    }
    return new Jedis(new HostAndPort("127.0.0.1", port), config.build());
  }

  /** A server started now, outside the JUnit lifecycle; the caller closes it. */
  public static RedisServerProcess started() throws Exception {
    RedisServerProcess redis = withoutPassword();
    redis.start();
    return redis;
  }

  /** A TLS server started now, outside the JUnit lifecycle; the caller closes it. */
  public static RedisServerProcess startedWithTls(TestTls tls) throws Exception {
    RedisServerProcess redis = withTls(tls);
    redis.start();
    return redis;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    start();
  }

  private void start() throws Exception {
    Path binary = findOnPath("redis-server");
    dir = Files.createTempDirectory("redis-test-");
    port = freePort();
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "--port",
                tls == null ? Integer.toString(port) : "0",
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString(),
                "--daemonize",
                "no"));
    if (password != null) {
      command.addAll(List.of("--requirepass", password));
    }
    if (tls != null) {
      command.addAll(
          List.of(
              "--tls-port",
              Integer.toString(port),
              "--tls-cert-file",
              tls.serverCertificate().toString(),
              "--tls-key-file",
              tls.serverKey().toString(),
              "--tls-ca-cert-file",
              tls.caCertificate().toString(),
              "--tls-auth-clients",
              "no"));
    }
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    Process started = process;
    Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
    awaitPing();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    close();
  }

  /** Stops the server and removes its directory. */
  @Override
  public void close() throws Exception {
    stop();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  /** Stops the server now (idempotent); the port then refuses connections. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  private void awaitPing() throws Exception {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    JedisException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "redis-server exited with " + process.exitValue() + ": " + log());
      }
      try (Jedis jedis = client()) {
        if ("PONG".equals(jedis.ping())) {
          return;
        }
      } catch (JedisException e) {
        last = e;
      }
      Thread.sleep(50);
    }
    stop();
    throw new IllegalStateException(
        "redis-server did not answer PING within " + STARTUP + ": " + log(), last);
  }

  private String log() throws IOException {
    Path log = dir.resolve("redis.log");
    return Files.exists(log) ? Files.readString(log) : "(no log)";
  }

  private static Path findOnPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String entry : path.split(File.pathSeparator)) {
      Path candidate = Path.of(entry, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(
        name
            + " is not on PATH ("
            + path
            + "); install it (Debian: apt-get install -y redis-server). These tests need a real"
            + " Redis and do not skip without one.");
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
