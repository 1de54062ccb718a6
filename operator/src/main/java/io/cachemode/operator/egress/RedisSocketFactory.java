package io.cachemode.operator.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.IOUtils;

/**
 * Jedis's socket factory with the policy in the path: Jedis's own {@code DefaultJedisSocketFactory}
 * resolves with {@link InetAddress#getAllByName} and connects plain sockets, which no hook can
 * reach. Socket options, the try-each-address loop and the TLS layering follow it; unlike it, TLS
 * verifies the server's host name unless the config brings its own {@link SSLParameters}.
 */
final class RedisSocketFactory implements JedisSocketFactory {

  private final Outbound outbound;
  private final HostAndPort address;
  private final JedisClientConfig config;

  RedisSocketFactory(Outbound outbound, HostAndPort address, JedisClientConfig config) {
    this.outbound = outbound;
    this.address = address;
    this.config = config;
  }

  @Override
  public Socket createSocket() throws JedisConnectionException {
    Socket socket = null;
    try {
      socket = connectToFirstAllowed(outbound.resolve(Purpose.Redis, address.getHost()));
      socket.setSoTimeout(config.getSocketTimeoutMillis());
      if (config.isSsl() || config.getSslOptions() != null) {
        socket = tls(socket);
      }
      return socket;
    } catch (DestinationNotAllowedException e) {
      IOUtils.closeQuietly(socket);
      throw new JedisConnectionException(e.getMessage(), e);
    } catch (IOException | GeneralSecurityException e) {
      IOUtils.closeQuietly(socket);
      throw new JedisConnectionException("Failed to connect to " + address + ".", e);
    } catch (RuntimeException e) {
      IOUtils.closeQuietly(socket);
      throw e;
    }
  }

  private Socket connectToFirstAllowed(List<InetAddress> addresses) throws IOException {
    JedisConnectionException failures =
        new JedisConnectionException("Failed to connect to " + address + ".");
    for (InetAddress a : addresses) {
      Socket socket = new GuardedSocketFactory.GuardedSocket(outbound, Purpose.Redis);
      try {
        socket.setReuseAddress(true);
        socket.setKeepAlive(true);
        socket.setTcpNoDelay(true);
        socket.setSoLinger(true, 0);
        socket.connect(
            new InetSocketAddress(a, address.getPort()), config.getConnectionTimeoutMillis());
        return socket;
      } catch (DestinationNotAllowedException e) {
        socket.close();
        throw e;
      } catch (IOException e) {
        socket.close();
        failures.addSuppressed(e);
      }
    }
    throw failures;
  }

  private Socket tls(Socket plain) throws IOException, GeneralSecurityException {
    SslOptions options = config.getSslOptions();
    SSLSocketFactory factory;
    SSLParameters parameters;
    if (options != null) {
      SSLContext context = options.createSslContext();
      factory = context.getSocketFactory();
      parameters = options.getSslParameters();
    } else {
      factory =
          config.getSslSocketFactory() != null
              ? config.getSslSocketFactory()
              : (SSLSocketFactory) SSLSocketFactory.getDefault();
      parameters = config.getSslParameters();
    }
    SSLSocket socket =
        (SSLSocket) factory.createSocket(plain, address.getHost(), address.getPort(), true);
    if (parameters == null) {
      parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
    }
    socket.setSSLParameters(parameters);
    if (config.getHostnameVerifier() != null) {
      socket.startHandshake();
      if (!config.getHostnameVerifier().verify(address.getHost(), socket.getSession())) {
        throw new JedisConnectionException(
            "The connection to '" + address.getHost() + "' failed TLS host name verification.");
      }
    }
    return socket;
  }
}
