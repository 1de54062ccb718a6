package io.cachemode.operator.targets.fly;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockWebServer;

/**
 * One Fly app served on loopback by {@link FakeFlyApi}, whose replaced machines boot and pass their
 * checks within a second, as Fly's own machines do after an update.
 */
public final class LocalFlyApp implements AutoCloseable {
  /** The token the server accepts (a Fly token's shape; nothing real). */
  public static final String TOKEN = "fo1_local-test-token";

  private static final String CONFIG =
      """
      {"image":"registry.fly.io/%s:deployment-1","env":{},
       "metadata":{"fly_platform_version":"v2","fly_process_group":"app"},
       "services":[{"internal_port":8080,"autostop":"off","autostart":false,
                    "checks":[{"type":"http","path":"/health"}]}]}
      """;

  public final String name;
  public final FakeFlyApi fly;
  private final MockWebServer server = new MockWebServer();
  private final ScheduledExecutorService world = Executors.newSingleThreadScheduledExecutor();

  public LocalFlyApp(String name) throws IOException {
    this.name = name;
    this.fly = new FakeFlyApi(name, "Bearer " + TOKEN);
    server.setDispatcher(fly);
    server.start();
    world.scheduleAtFixedRate(this::bootAndPass, 1, 1, TimeUnit.SECONDS);
  }

  /** A machine config of this app, as `fly deploy` leaves it. */
  public String config() {
    return CONFIG.formatted(name);
  }

  /** What {@code spec.target.fly.apiUrl} names to reach this server. */
  public String apiUrl() {
    return server.url("/").toString().replaceAll("/$", "");
  }

  /**
   * A CacheMode of the same name that suspends this app's Redis, whose token is key {@code token}
   * of Secret {@code tokenSecret}, with {@code rollout} as its spec.rollout (YAML flow mapping).
   */
  public String cacheMode(String tokenSecret, String rollout) {
    return """
        apiVersion: cachemode.io/v1alpha1
        kind: CacheMode
        metadata: {name: %s}
        spec:
          suspend: true
          target:
            fly:
              app: %s
              tokenSecretRef: {name: %s, key: token}
              apiUrl: %s
          rollout: %s
        """
        .formatted(name, name, tokenSecret, apiUrl(), rollout);
  }

  private void bootAndPass() {
    fly.bootReplacedMachines();
    for (String id : fly.machineIds()) {
      if ("started".equals(fly.machine(id).path("state").asText())) {
        fly.setChecks(id, "servicecheck-00-http-8080:passing");
      }
    }
  }

  @Override
  public void close() throws IOException {
    world.shutdownNow();
    server.shutdown();
  }
}
