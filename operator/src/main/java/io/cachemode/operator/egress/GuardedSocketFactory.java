package io.cachemode.operator.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;

/**
 * Creates sockets that ask the policy before they connect, whoever resolved the address. OkHttp
 * calls {@link #createSocket()} and then {@code connect}; the other methods connect at once,
 * through the same check.
 */
final class GuardedSocketFactory extends SocketFactory {

  /** A plain socket whose {@code connect} refuses what the policy refuses. */
  static final class GuardedSocket extends Socket {
    private final Outbound outbound;
    private final Purpose purpose;

    GuardedSocket(Outbound outbound, Purpose purpose) {
      this.outbound = outbound;
      this.purpose = purpose;
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      outbound.checkConnect(purpose, endpoint);
      super.connect(endpoint, timeout);
    }
  }

  private final Outbound outbound;
  private final Purpose purpose;

  GuardedSocketFactory(Outbound outbound, Purpose purpose) {
    this.outbound = outbound;
    this.purpose = purpose;
  }

  @Override
  public Socket createSocket() {
    return new GuardedSocket(outbound, purpose);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(outbound.resolve(purpose, host).get(0), port), null);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connected(
        new InetSocketAddress(outbound.resolve(purpose, host).get(0), port),
        new InetSocketAddress(localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(
        new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
  }

  private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
    Socket socket = createSocket();
    try {
      if (local != null) {
        socket.bind(local);
      }
      socket.connect(remote);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }
}
