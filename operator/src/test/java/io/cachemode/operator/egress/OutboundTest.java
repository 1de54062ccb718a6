package io.cachemode.operator.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The policy enforced on resolved addresses. Names resolve through a stub; the only sockets that
 * connect go to servers on 127.0.0.1 started here, so no packet leaves the loopback interface.
 */
class OutboundTest {

  /** Answers each name from a queue of answers, and counts the questions. */
  private static final class StubDns implements Resolver {
    private final Map<String, Deque<List<String>>> answers = new java.util.HashMap<>();
    final List<String> asked = new ArrayList<>();

    StubDns answer(String host, String... addresses) {
      answers.computeIfAbsent(host, h -> new ArrayDeque<>()).add(List.of(addresses));
      return this;
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
      asked.add(host);
      Deque<List<String>> queue = answers.get(host);
      if (queue == null || queue.isEmpty()) {
        throw new UnknownHostException(host);
      }
      List<String> next = queue.size() > 1 ? queue.poll() : queue.peek();
      List<InetAddress> out = new ArrayList<>();
      for (String a : next) {
        out.add(InetAddress.getByAddress(host, IpLiterals.parse(a).orElseThrow().getAddress()));
      }
      return out;
    }
  }

  private final MockWebServer server = new MockWebServer();
  private final StubDns dns = new StubDns();

  @BeforeEach
  void start() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private Outbound outbound(Map<Purpose, String> lists, boolean inCluster) {
    return new Outbound(OutboundPolicy.of(lists, inCluster), dns, new OkHttpClient());
  }

  private static Refusal refusalOf(Throwable t) {
    assertThat(t).isInstanceOf(DestinationNotAllowedException.class);
    return ((DestinationNotAllowedException) t).refusal();
  }

  @Test
  void aNameThatResolvesToTheMetadataAddressIsRefused() {
    dns.answer("metadata-proxy.atom.svc", "169.254.169.254");
    Outbound out = outbound(Map.of(), false);
    assertThatThrownBy(() -> out.resolve(Purpose.HealthCheck, "metadata-proxy.atom.svc"))
        .satisfies(
            t -> {
              Refusal r = refusalOf(t);
              assertThat(r.alwaysRefused()).isTrue();
              assertThat(r.message())
                  .isEqualTo(
                      "DestinationNotAllowed: health check to metadata-proxy.atom.svc"
                          + " (169.254.169.254) refused: link-local (cloud instance metadata)"
                          + " 169.254.0.0/16 (always refused)");
            });
  }

  @Test
  void aNameThatRebindsFromAnAllowedToALinkLocalAddressIsRefusedOnTheSecondLookup()
      throws Exception {
    dns.answer("app.atom.svc", "10.96.4.7").answer("app.atom.svc", "169.254.169.254");
    Outbound out = outbound(Map.of(), false);
    assertThat(out.resolve(Purpose.HealthCheck, "app.atom.svc"))
        .extracting(InetAddress::getHostAddress)
        .containsExactly("10.96.4.7");
    assertThatThrownBy(() -> out.resolve(Purpose.HealthCheck, "app.atom.svc"))
        .satisfies(t -> assertThat(refusalOf(t).address()).contains("169.254.169.254"));
  }

  @Test
  void theSocketRefusesARefusedAddressWhoeverResolvedIt() throws Exception {
    Outbound out = outbound(Map.of(), false);
    InetAddress rebound =
        InetAddress.getByAddress(
            "app.atom.svc", new byte[] {(byte) 169, (byte) 254, (byte) 169, (byte) 254});
    // checkConnect is what every policy socket runs before connect: it throws, so connect never
    // starts.
    assertThatThrownBy(
            () -> out.checkConnect(Purpose.HealthCheck, new InetSocketAddress(rebound, 80)))
        .satisfies(t -> assertThat(refusalOf(t).alwaysRefused()).isTrue());
    assertThatThrownBy(
            () ->
                out.checkConnect(
                    Purpose.HealthCheck, InetSocketAddress.createUnresolved("app.atom.svc", 80)))
        .satisfies(t -> assertThat(refusalOf(t).rule()).contains("not a resolved address"));
  }

  @Test
  void anAnswerMixingAnAllowedAndALinkLocalAddressIsRefusedAsAWhole() {
    dns.answer("app.atom.svc", "10.96.4.7", "169.254.169.254");
    assertThatThrownBy(() -> outbound(Map.of(), false).resolve(Purpose.Metrics, "app.atom.svc"))
        .satisfies(t -> assertThat(refusalOf(t).alwaysRefused()).isTrue());
  }

  @Test
  void withCidrsOnlyTheListedAddressesOfAnAnswerAreReturned() throws Exception {
    dns.answer("db.example", "10.1.2.3", "192.168.1.1").answer("other.example", "192.168.1.1");
    Outbound out = outbound(Map.of(Purpose.Redis, "10.0.0.0/8"), false);
    assertThat(out.resolve(Purpose.Redis, "db.example"))
        .extracting(InetAddress::getHostAddress)
        .containsExactly("10.1.2.3");
    assertThatThrownBy(() -> out.resolve(Purpose.Redis, "other.example"))
        .satisfies(
            t ->
                assertThat(refusalOf(t).message())
                    .isEqualTo(
                        "DestinationNotAllowed: Redis connection to other.example (192.168.1.1)"
                            + " refused: not in the allowed destinations (EGRESS_REDIS=10.0.0.0/8)"));
  }

  @Test
  void aMetadataNameIsRefusedWithoutAskingDns() {
    OkHttpClient http =
        outbound(Map.of(Purpose.HealthCheck, "*.internal"), false).http(Purpose.HealthCheck);
    Request request =
        new Request.Builder().url("http://metadata.google.internal/computeMetadata/v1/").build();
    assertThatThrownBy(() -> http.newCall(request).execute())
        .satisfies(t -> assertThat(refusalOf(t).rule()).isEqualTo("cloud instance metadata name"));
    assertThat(dns.asked).isEmpty();
  }

  @Test
  void anIpLiteralUrlOutsideThePolicyIsRefusedByTheSocketAndTheServerSeesNothing() {
    // OkHttp does not pass IP literals through Dns: only the socket's check stands here.
    OkHttpClient http = outbound(Map.of(), false).http(Purpose.HealthCheck);
    assertThatThrownBy(
            () -> http.newCall(get("http://127.0.0.1:" + server.getPort() + "/health")).execute())
        .satisfies(
            t ->
                assertThat(refusalOf(t).message())
                    .startsWith("DestinationNotAllowed: health check to 127.0.0.1 refused:")
                    .contains("EGRESS_HEALTH_CHECK=*.svc,*.svc.cluster.local"));
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void loopbackIsRefusedInAClusterEvenWhenEverythingIsAllowed() {
    OkHttpClient http =
        outbound(Map.of(Purpose.HealthCheck, "0.0.0.0/0,::/0"), true).http(Purpose.HealthCheck);
    assertThatThrownBy(
            () -> http.newCall(get("http://127.0.0.1:" + server.getPort() + "/health")).execute())
        .satisfies(t -> assertThat(refusalOf(t).rule()).contains("loopback in a cluster"));
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aNameRebindingOutsideTheListedCidrIsRefusedOnConnectAfterAnAllowedRequest()
      throws Exception {
    // 127.0.0.2 stands in for "somewhere else": it is loopback too, so nothing leaves the host.
    dns.answer("rebind.example", "127.0.0.1").answer("rebind.example", "127.0.0.2");
    OkHttpClient http =
        outbound(Map.of(Purpose.Metrics, "127.0.0.1/32"), false).http(Purpose.Metrics);
    server.enqueue(new MockResponse().setBody("ok"));
    String url = "http://rebind.example:" + server.getPort() + "/api/v1/query";
    try (Response first = http.newCall(get(url)).execute()) {
      assertThat(first.code()).isEqualTo(200);
    }
    http.connectionPool().evictAll();
    assertThatThrownBy(() -> http.newCall(get(url)).execute())
        .satisfies(t -> assertThat(refusalOf(t).address()).contains("127.0.0.2"));
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(dns.asked).containsExactly("rebind.example", "rebind.example");
  }

  @Test
  void anAllowedNameIsFetchedThroughThePolicy() throws Exception {
    dns.answer("app.atom.svc", "127.0.0.1");
    OkHttpClient http =
        outbound(Map.of(Purpose.HealthCheck, "*.svc"), false).http(Purpose.HealthCheck);
    server.enqueue(
        new MockResponse().setResponseCode(302).setHeader("Location", "http://elsewhere.example/"));
    try (Response r =
        http.newCall(get("http://app.atom.svc:" + server.getPort() + "/health")).execute()) {
      assertThat(r.code()).as("the client itself never follows redirects").isEqualTo(302);
    }
    assertThat(server.takeRequest().getHeader("Host"))
        .isEqualTo("app.atom.svc:" + server.getPort());
    assertThat(dns.asked).containsExactly("app.atom.svc");
  }

  @Test
  void redisSocketsAreRefusedBeforeConnectingAndConnectWhenAllowed() throws Exception {
    try (ServerSocket redis = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      redis.setSoTimeout(300);
      HostAndPort address = new HostAndPort("127.0.0.1", redis.getLocalPort());
      var config = DefaultJedisClientConfig.builder().connectionTimeoutMillis(1000).build();

      JedisSocketFactory refused = outbound(Map.of(), false).redis(address, config);
      assertThatThrownBy(refused::createSocket)
          .isInstanceOf(JedisConnectionException.class)
          .hasMessageStartingWith("DestinationNotAllowed: Redis connection to 127.0.0.1 refused")
          .satisfies(t -> refusalOf(t.getCause()));
      assertThatThrownBy(redis::accept).isInstanceOf(SocketTimeoutException.class);

      JedisSocketFactory allowed =
          outbound(Map.of(Purpose.Redis, "127.0.0.1/32"), false).redis(address, config);
      try (Socket socket = allowed.createSocket();
          Socket accepted = redis.accept()) {
        assertThat(socket.isConnected()).isTrue();
        assertThat(accepted.getPort()).isEqualTo(socket.getLocalPort());
      }
    }
  }

  @Test
  void redisHasNoHttpClient() {
    assertThatThrownBy(() -> outbound(Map.of(), false).http(Purpose.Redis))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Request get(String url) {
    return new Request.Builder().url(url).build();
  }
}
