package io.cachemode.operator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP server that misbehaves on purpose: every accepted connection runs the same {@link
 * Script} (answer slowly, never answer, answer half a reply and hang up), so a client's handling of
 * broken peers can be tested against a real socket. Connections are counted.
 */
public final class ScriptedServer implements AutoCloseable {
  /** What the server does with one connection; it is closed afterwards. */
  @FunctionalInterface
  public interface Script {
    void run(InputStream in, OutputStream out) throws IOException, InterruptedException;
  }

  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicInteger connections = new AtomicInteger();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private ScriptedServer(Script script) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(() -> acceptLoop(script));
  }

  public static ScriptedServer start(Script script) {
    try {
      return new ScriptedServer(script);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Accepts connections, reads nothing and sends nothing until the client gives up. */
  public static ScriptedServer neverAnswering() {
    return start((in, out) -> in.transferTo(OutputStream.nullOutputStream()));
  }

  /**
   * Reads the request head, then sends {@code response} one byte every {@code pause}: a slow-loris
   * peer that is never quite silent, so only a deadline on the whole exchange ends it.
   */
  public static ScriptedServer slowLoris(String response, Duration pause) {
    return start(
        (in, out) -> {
          readHead(in);
          for (byte b : response.getBytes(StandardCharsets.UTF_8)) {
            out.write(b);
            out.flush();
            Thread.sleep(pause.toMillis());
          }
        });
  }

  /** Reads the request head, sends {@code bytes} at once and hangs up. */
  public static ScriptedServer answering(byte[] bytes) {
    return start(
        (in, out) -> {
          readHead(in);
          out.write(bytes);
          out.flush();
        });
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  /** Reads up to the blank line that ends an HTTP request head (or the end of the stream). */
  public static void readHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    for (int b = in.read(); b >= 0; b = in.read()) {
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == end.length) {
        return;
      }
    }
  }

  private void acceptLoop(Script script) {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return;
      }
      connections.incrementAndGet();
      open.add(socket);
      threads.execute(
          () -> {
            try (socket) {
              script.run(socket.getInputStream(), socket.getOutputStream());
            } catch (IOException e) {
              // The client hung up: that is how these conversations usually end.
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } finally {
              open.remove(socket);
            }
          });
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
      // A blocked socket read ignores interrupts: closing the socket ends it.
      for (Socket s : open) {
        s.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    threads.shutdownNow();
  }
}
