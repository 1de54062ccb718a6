package io.cachemode.operator.egress;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSocketFactory;

/**
 * Every outbound connection the operator makes to a destination a CacheMode names goes through
 * here, so the {@link OutboundPolicy} is enforced on the addresses actually connected to:
 *
 * <ul>
 *   <li>names are resolved by the policy's DNS hook, which refuses a name that resolves to any
 *       always-refused address and returns only the allowed addresses;
 *   <li>every socket checks the address it is about to connect to (IP literals never pass through
 *       DNS in OkHttp, and a name's answer may change between two lookups: DNS rebinding);
 *   <li>no proxy is used (a proxy would make the checked address the proxy's) and redirects are
 *       never followed by the client ({@code HttpGet} follows same-host ones itself, through the
 *       same checks). When OkHttp tries another address of the same name after a failed connect,
 *       that address is checked too.
 * </ul>
 *
 * A refused connection fails with {@link DestinationNotAllowedException} before any byte is sent.
 */
public final class Outbound {

  private final OutboundPolicy policy;
  private final Resolver resolver;
  private final Map<Purpose, OkHttpClient> clients = new EnumMap<>(Purpose.class);

  /**
   * @param base the client whose connection pool, dispatcher and timeouts the purpose clients share
   */
  public Outbound(OutboundPolicy policy, Resolver resolver, OkHttpClient base) {
    this.policy = policy;
    this.resolver = resolver;
    for (Purpose p : List.of(Purpose.HealthCheck, Purpose.Metrics, Purpose.ProviderApi)) {
      clients.put(
          p,
          base.newBuilder()
              .dns(host -> resolve(p, host))
              .socketFactory(new GuardedSocketFactory(this, p))
              .proxy(Proxy.NO_PROXY)
              .followRedirects(false)
              .followSslRedirects(false)
              .build());
    }
  }

  public OutboundPolicy policy() {
    return policy;
  }

  /**
   * The HTTP client for {@code purpose}; derive per-call settings with {@code newBuilder()}, which
   * keeps the policy hooks.
   *
   * @throws IllegalArgumentException for {@link Purpose#Redis}, which is not HTTP: see {@link
   *     #redis}
   */
  public OkHttpClient http(Purpose purpose) {
    OkHttpClient client = clients.get(purpose);
    if (client == null) {
      throw new IllegalArgumentException(purpose + " connections are not HTTP; use redis(...)");
    }
    return client;
  }

  /**
   * The socket factory for one Redis server: pass it to {@code new Jedis(factory, config)} (or
   * {@code new Connection(factory, config)}). It resolves and checks {@code address} on every
   * connect and handles TLS as {@code config} says; without explicit SSL parameters it verifies the
   * server's host name.
   */
  public JedisSocketFactory redis(HostAndPort address, JedisClientConfig config) {
    return new RedisSocketFactory(this, address, config);
  }

  /**
   * The verdict that needs no DNS lookup, for checking a URL before reading the credentials that
   * would be sent there. Empty means "not refused yet": the resolved addresses are still checked on
   * connect.
   */
  public Optional<Refusal> refusal(Purpose purpose, String host) {
    return policy.checkName(purpose, host);
  }

  /**
   * Resolves {@code host} and keeps the addresses the policy allows. A name that resolves to an
   * always-refused address is refused as a whole: that is a rebinding attempt or a Service pointed
   * at the node's metadata endpoint, never a destination with a good alternative address.
   */
  List<InetAddress> resolve(Purpose purpose, String host) throws UnknownHostException {
    Optional<Refusal> byName = policy.checkName(purpose, host);
    if (byName.isPresent()) {
      throw new DestinationNotAllowedException(byName.get());
    }
    String name = HostPattern.normalize(host);
    Optional<InetAddress> literal = IpLiterals.parse(name);
    if (literal.isPresent()) {
      return List.of(literal.get());
    }
    List<InetAddress> allowed = new ArrayList<>();
    Refusal firstRefusal = null;
    for (InetAddress a : resolver.resolve(name)) {
      // The name travels with the address, so the socket's check can match host patterns.
      InetAddress named = InetAddress.getByAddress(name, a.getAddress());
      Optional<Refusal> refusal = policy.checkAddress(purpose, name, named);
      if (refusal.isEmpty()) {
        allowed.add(named);
      } else if (refusal.get().alwaysRefused()) {
        throw new DestinationNotAllowedException(refusal.get());
      } else if (firstRefusal == null) {
        firstRefusal = refusal.get();
      }
    }
    if (allowed.isEmpty()) {
      if (firstRefusal == null) {
        throw new UnknownHostException(name + ": no addresses");
      }
      throw new DestinationNotAllowedException(firstRefusal);
    }
    return List.copyOf(allowed);
  }

  /** The last check, made by every socket just before it connects. */
  void checkConnect(Purpose purpose, SocketAddress endpoint) throws DestinationNotAllowedException {
    if (!(endpoint instanceof InetSocketAddress socketAddress) || socketAddress.isUnresolved()) {
      throw new DestinationNotAllowedException(
          new Refusal(
              purpose,
              String.valueOf(endpoint),
              Optional.empty(),
              "not a resolved address (only the policy's resolver may resolve names)",
              false));
    }
    Optional<Refusal> refusal =
        policy.checkAddress(purpose, socketAddress.getHostString(), socketAddress.getAddress());
    if (refusal.isPresent()) {
      throw new DestinationNotAllowedException(refusal.get());
    }
  }
}
