package io.cachemode.operator.verify;

import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.function.BiFunction;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Opens the operator's connections to one Redis server: every Redis connection of every method
 * (INFO, MONITOR) is created by {@link #connect()}, with the URL's ACL user and password, its
 * database, TLS for {@code rediss://} (certificate and host name verified), the client name {@code
 * cachemode-operator} and the meter's timeout. Also turns Jedis exceptions into typed failures that
 * never carry the password.
 */
public final class RedisConnections {

  static final String CLIENT_NAME = "cachemode-operator";

  private final HostAndPort address;
  private final JedisClientConfig config;
  private final Duration timeout;
  private final String password;
  private final OwnClients own;
  private final BiFunction<HostAndPort, JedisClientConfig, JedisSocketFactory> sockets;

  /**
   * @param url {@code redis://[[user]:password@]host[:port][/db]} or {@code rediss://...}; check it
   *     with {@link #isUsableUrl(URI)} first
   * @param timeout connect timeout, and read timeout of every reply except MONITOR's stream
   */
  public RedisConnections(URI url, Duration timeout) {
    this(url, timeout, DefaultJedisSocketFactory::new);
  }

  /**
   * @param sockets where sockets come from: the operator passes its outbound policy's factory
   *     ({@code Outbound.redis}), so a Redis address outside the policy is never connected to
   */
  public RedisConnections(
      URI url,
      Duration timeout,
      BiFunction<HostAndPort, JedisClientConfig, JedisSocketFactory> sockets) {
    this(url, timeout, null, OwnClients.PROCESS, sockets);
  }

  RedisConnections(URI url, Duration timeout, SSLSocketFactory tls, OwnClients own) {
    this(url, timeout, tls, own, DefaultJedisSocketFactory::new);
  }

  /**
   * @param tls the TLS socket factory for {@code rediss://}; null for the JVM's default trust store
   */
  private RedisConnections(
      URI url,
      Duration timeout,
      SSLSocketFactory tls,
      OwnClients own,
      BiFunction<HostAndPort, JedisClientConfig, JedisSocketFactory> sockets) {
    if (!isUsableUrl(url)) {
      throw new IllegalArgumentException("not a redis:// or rediss:// URL with a host");
    }
    this.address = JedisURIHelper.getHostAndPort(url);
    this.password = JedisURIHelper.getPassword(url);
    this.timeout = timeout;
    this.own = own;
    this.sockets = sockets;
    int millis = Math.toIntExact(timeout.toMillis());
    // Without an endpoint identification algorithm a JSSE socket checks the chain but not that
    // the certificate names the host.
    SSLParameters verifyHost = new SSLParameters();
    verifyHost.setEndpointIdentificationAlgorithm("HTTPS");
    DefaultJedisClientConfig.Builder builder =
        DefaultJedisClientConfig.builder()
            .user(JedisURIHelper.getUser(url))
            .password(password)
            .database(JedisURIHelper.getDBIndex(url))
            .ssl(JedisURIHelper.isRedisSSLScheme(url))
            .sslParameters(verifyHost)
            .connectionTimeoutMillis(millis)
            .socketTimeoutMillis(millis)
            .clientName(CLIENT_NAME);
    if (tls != null) {
      builder.sslSocketFactory(tls);
    }
    this.config = builder.build();
  }

  /** Whether {@code url} names a Redis server this class can connect to. */
  public static boolean isUsableUrl(URI url) {
    return url != null
        && (JedisURIHelper.isRedisScheme(url) || JedisURIHelper.isRedisSSLScheme(url))
        && url.getHost() != null;
  }

  /**
   * A new connection, authenticated and named; the caller closes it.
   *
   * @throws JedisException when the server cannot be reached or refuses the credentials
   */
  Connection connect() {
    return new Connection(new OwnSocketFactory(), config);
  }

  /** {@link #connect()} wrapped for commands. */
  Jedis jedis() {
    return new Jedis(connect());
  }

  /** Whether a MONITOR client field names one of the operator's own open connections. */
  boolean isOwnClient(String client) {
    return own.isOwn(client);
  }

  Duration timeout() {
    return timeout;
  }

  /** "Redis at host:port", for messages. */
  String where() {
    return "Redis at " + address.getHost() + ":" + address.getPort();
  }

  Measurement.Failure failureOf(JedisException e) {
    if (e instanceof JedisConnectionException) {
      return new Measurement.Failure(
          FailureKind.Unreachable,
          where()
              + ": "
              + NetworkErrors.describe(e, address.getHost(), address.getPort(), timeout));
    }
    String reply = redact(String.valueOf(e.getMessage()));
    String code = errorCode(e);
    if (e instanceof JedisAccessControlException
        || code.equals("WRONGPASS")
        || code.equals("NOAUTH")
        || code.equals("NOPERM")) {
      return new Measurement.Failure(
          FailureKind.Unauthorized, where() + " rejected the credentials (" + code + ")");
    }
    if (e instanceof JedisDataException) {
      return new Measurement.Failure(
          FailureKind.ServerError, where() + " answered an error: " + HttpGet.abbreviate(reply));
    }
    return new Measurement.Failure(FailureKind.Unreachable, where() + ": " + reply);
  }

  /** The first word of a Redis error reply, e.g. NOPERM or ERR. */
  static String errorCode(JedisException e) {
    return String.valueOf(e.getMessage()).split(" ", 2)[0].toUpperCase(Locale.ROOT);
  }

  // Server and client messages are not ours; a password must not leave through them.
  String redact(String message) {
    return password == null || password.isEmpty() ? message : message.replace(password, "***");
  }

  /**
   * Every socket of the operator to Redis is created here (TLS layered by Jedis' default factory)
   * and recorded as the operator's own.
   */
  private final class OwnSocketFactory implements JedisSocketFactory {
    private final JedisSocketFactory delegate = sockets.apply(address, config);

    @Override
    public Socket createSocket() {
      Socket socket = delegate.createSocket();
      own.register(socket);
      return socket;
    }
  }
}
