package io.cachemode.operator.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server standing in for an app's health endpoint: each path answers what its
 * handler says, and may block (a handler runs on its own thread), and requests are counted.
 */
public final class LocalHttpServer implements AutoCloseable {
  /** An answer: status code and body. */
  public record Answer(int status, String body) {}

  /** Decides the answer to one request; may block to hold the request. */
  @FunctionalInterface
  public interface Handler {
    Answer answer() throws InterruptedException;
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

  public LocalHttpServer() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(threads);
    server.start();
  }

  /** Answers requests to {@code path} with {@code handler}. */
  public LocalHttpServer route(String path, Handler handler) {
    AtomicInteger count = requests.computeIfAbsent(path, p -> new AtomicInteger());
    server.createContext(path, exchange -> respond(exchange, handler, count));
    return this;
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Requests received so far by the route of {@code path}. */
  public int requests(String path) {
    return requests.getOrDefault(path, new AtomicInteger()).get();
  }

  private void respond(HttpExchange exchange, Handler handler, AtomicInteger count)
      throws IOException {
    count.incrementAndGet();
    try (exchange) {
      Answer a;
      try {
        a = handler.answer();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
