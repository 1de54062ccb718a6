package io.cachemode.operator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback TCP forwarder that counts connections: put in front of the API server, it shows how
 * often a client tries to reach it, also while the API server is down (each attempt is then a
 * connection the proxy accepts and cannot forward). Bytes pass through untouched, so TLS is
 * end-to-end between the client and the API server.
 */
public final class TcpProxy implements AutoCloseable {
  /** One accepted connection: when, and whether the upstream took it. */
  public record Connection(Instant at, boolean forwarded) {}

  private final int upstreamPort;
  private final ServerSocket server;
  private final List<Connection> connections = new ArrayList<>();
  private final List<Socket> open = new ArrayList<>();
  private volatile boolean closed;

  private TcpProxy(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptLoop, "tcp-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /** A proxy on a free loopback port forwarding to {@code 127.0.0.1:upstreamPort}. */
  public static TcpProxy to(int upstreamPort) {
    try {
      return new TcpProxy(upstreamPort);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Every connection accepted so far. */
  public synchronized List<Connection> connections() {
    return List.copyOf(connections);
  }

  /** Connections accepted in [{@code from}, {@code to}). */
  public synchronized List<Connection> connections(Instant from, Instant to) {
    return connections.stream().filter(c -> !c.at().isBefore(from) && c.at().isBefore(to)).toList();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Thread t = new Thread(() -> forward(client), "tcp-proxy-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  private void forward(Socket client) {
    Instant at = Instant.now();
    Socket upstream = new Socket();
    try {
      upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 2000);
    } catch (IOException refused) {
      record(new Connection(at, false));
      closeQuietly(client);
      closeQuietly(upstream);
      return;
    }
    record(new Connection(at, true));
    synchronized (this) {
      open.add(client);
      open.add(upstream);
    }
    Thread back = new Thread(() -> pipe(upstream, client), "tcp-proxy-down");
    back.setDaemon(true);
    back.start();
    pipe(client, upstream);
  }

  private synchronized void record(Connection c) {
    connections.add(c);
  }

  private static void pipe(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException ignored) {
      // one side went away; closing both ends tells the other
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // nothing to do
    }
    synchronized (this) {
      open.forEach(TcpProxy::closeQuietly);
    }
  }
}
