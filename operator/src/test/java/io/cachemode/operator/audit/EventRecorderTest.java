package io.cachemode.operator.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachemode.operator.api.CacheMode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events are sent off the caller's thread, against an API server that can be held. */
class EventRecorderTest {
  private final MockWebServer server = new MockWebServer();
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<Event> received = new CopyOnWriteArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private KubernetesClient client;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            release.await(30, TimeUnit.SECONDS);
            Event e = Serialization.unmarshal(request.getBody().readUtf8(), Event.class);
            received.add(e);
            return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(e));
          }
        });
    server.start(java.net.InetAddress.getLoopbackAddress(), 0);
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder()
                    .withMasterUrl(server.url("/").toString())
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    client.close();
    server.shutdown();
  }

  @Test
  void eventNamesStayValidObjectNamesForTheLongestCacheModeNames() {
    String longest = "a".repeat(243) + "-b." + "c".repeat(7);
    String name = EventRecorder.eventName(longest, "0123abcd");
    assertThat(name).hasSizeLessThanOrEqualTo(253).endsWith(".0123abcd");
    assertThat(name).as("no '-' or '.' before the suffix' dot").matches("a+\\.0123abcd");
    assertThat(EventRecorder.eventName("app-redis", "0123abcd")).isEqualTo("app-redis.0123abcd");
  }

  @Test
  void theCallerDoesNotWaitForTheApiServer() {
    EventRecorder events = new EventRecorder(client, Clock.systemUTC(), metrics());

    long started = System.nanoTime();
    events.warning(cacheMode("a-redis"), "Ineffective", "GETs did not go down");
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("returned while the API server holds the request")
        .isLessThan(Duration.ofSeconds(2));
    assertThat(received).isEmpty();

    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    Event e = received.get(0);
    assertThat(e.getType()).isEqualTo("Warning");
    assertThat(e.getReason()).isEqualTo("Ineffective");
    assertThat(e.getMessage()).isEqualTo("GETs did not go down");
    assertThat(e.getInvolvedObject().getName()).isEqualTo("a-redis");
    assertThat(e.getInvolvedObject().getUid()).isEqualTo("uid-a-redis");
    assertThat(e.getMetadata().getNamespace()).isEqualTo("ns");
  }

  @Test
  void eventsBeyondTheQueueAreDroppedAndCounted() throws Exception {
    EventRecorder events = new EventRecorder(client, Clock.systemUTC(), metrics(), 1);

    // Two senders each hold one request at the server, one waits in the queue, the rest find it
    // full.
    for (int i = 0; i < 2; i++) {
      events.normal(cacheMode("app-" + i), "Restarted", "restarted Deployment app-" + i);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> server.getRequestCount() == 2);
    for (int i = 2; i < 5; i++) {
      events.normal(cacheMode("app-" + i), "Restarted", "restarted Deployment app-" + i);
    }
    assertThat(registry.counter("cachemode.events.dropped").count()).isEqualTo(2);

    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
    Thread.sleep(500);
    assertThat(received)
        .extracting(e -> e.getInvolvedObject().getName())
        .containsExactlyInAnyOrder("app-0", "app-1", "app-2");
  }

  private OperatorMetrics metrics() {
    return new OperatorMetrics(registry);
  }

  private static CacheMode cacheMode(String name) {
    CacheMode cm = new CacheMode();
    cm.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace("ns").withUid("uid-" + name).build());
    return cm;
  }
}
