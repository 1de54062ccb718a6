package io.cachemode.operator.verify;

import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The operator's open Redis sockets, so that a MONITOR sample leaves out the commands of the
 * operator's own connections (of every CacheMode in this process). A MONITOR line names its client
 * by the address the server sees; that is the socket's local address unless a proxy or NAT sits in
 * between, in which case nothing can be matched and nothing is left out. The operator sends no
 * GET-family command itself, so that case counts nothing of its own either.
 */
final class OwnClients {

  /** The registry of this process: every {@link RedisConnections} records here by default. */
  static final OwnClients PROCESS = new OwnClients();

  private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");

  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

  void register(Socket socket) {
    sockets.add(socket);
  }

  /**
   * Whether a MONITOR client field ({@code 127.0.0.1:50412}, {@code [::1]:50412}; not {@code lua}
   * or {@code unix:...}) is one of the operator's open sockets.
   */
  boolean isOwn(String client) {
    sockets.removeIf(Socket::isClosed);
    if (sockets.isEmpty()) {
      return false;
    }
    Optional<Endpoint> endpoint = parse(client);
    if (endpoint.isEmpty()) {
      return false;
    }
    for (Socket socket : sockets) {
      if (socket.getLocalPort() == endpoint.get().port()
          && endpoint.get().address().equals(socket.getLocalAddress())) {
        return true;
      }
    }
    return false;
  }

  record Endpoint(InetAddress address, int port) {}

  /** Parses an IP literal and port; never resolves a name. */
  static Optional<Endpoint> parse(String client) {
    int colon = client.lastIndexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    String host = client.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    // Only literals reach InetAddress, which then does no DNS lookup.
    if (!IPV4.matcher(host).matches() && !host.contains(":")) {
      return Optional.empty();
    }
    try {
      int port = Integer.parseInt(client.substring(colon + 1));
      return Optional.of(new Endpoint(InetAddress.getByName(host), port));
    } catch (NumberFormatException | UnknownHostException e) {
      return Optional.empty();
    }
  }
}
