package io.cachemode.operator.verify;

import io.cachemode.operator.egress.DestinationNotAllowedException;
import io.cachemode.operator.support.Durations;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Turns a network exception into a short sentence. Clients wrap the exception that matters: OkHttp
 * as a cause, Jedis as a suppressed exception (one per address tried), so both are searched. Only
 * the host and port are named, never a URL, which could carry credentials.
 */
final class NetworkErrors {

  private NetworkErrors() {}

  static String describe(Throwable error, String host, int port, Duration timeout) {
    String target = host + ":" + port;
    DestinationNotAllowedException refused = deepest(error, DestinationNotAllowedException.class);
    if (refused != null) {
      return refused.refusal().message();
    }
    SSLException tls = deepest(error, SSLException.class);
    if (tls != null) {
      return "TLS handshake failed: " + tls.getMessage();
    }
    if (deepest(error, UnknownHostException.class) != null) {
      return "unknown host " + host;
    }
    // SocketTimeoutException is one too; OkHttp's call timeout throws the plain type.
    if (deepest(error, InterruptedIOException.class) != null) {
      return "timed out after " + Durations.format(timeout);
    }
    ConnectException connect = deepest(error, ConnectException.class);
    if (connect != null) {
      String reason = String.valueOf(connect.getMessage());
      return reason.toLowerCase(Locale.ROOT).contains("refused")
          ? "connection refused to " + target
          : "cannot connect to " + target + ": " + reason;
    }
    if (deepest(error, NoRouteToHostException.class) != null) {
      return "no route to " + target;
    }
    Throwable root = error;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return "connection to "
        + target
        + " failed: "
        + root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : " " + root.getMessage());
  }

  /** Whether a read or connect timed out (the socket's SO_TIMEOUT or connect timeout). */
  static boolean isTimeout(Throwable error) {
    return deepest(error, SocketTimeoutException.class) != null;
  }

  private static <T extends Throwable> T deepest(Throwable error, Class<T> type) {
    T found = null;
    Deque<Throwable> pending = new ArrayDeque<>(List.of(error));
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    while (!pending.isEmpty()) {
      Throwable t = pending.pop();
      if (!seen.add(t)) {
        continue;
      }
      if (type.isInstance(t)) {
        found = type.cast(t);
      }
      pending.addAll(List.of(t.getSuppressed()));
      if (t.getCause() != null) {
        pending.push(t.getCause());
      }
    }
    return found;
  }
}
