package io.cachemode.operator.targets.fly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachemode.operator.egress.Outbound;
import io.cachemode.operator.egress.OutboundPolicy;
import io.cachemode.operator.egress.Purpose;
import io.cachemode.operator.egress.Resolver;
import io.cachemode.operator.targets.TargetException;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A Fly apiUrl outside the provider-API policy never receives a request, so never the token. */
class FlyTargetOutboundTest {
  private final MockWebServer fly = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    fly.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() throws IOException {
    fly.shutdown();
  }

  @Test
  void anApiUrlOutsideThePolicyIsRefusedBeforeTheTokenIsSent() {
    Outbound outbound =
        new Outbound(OutboundPolicy.of(Map.of(), false), Resolver.system(), new OkHttpClient());
    FlyTarget target =
        new FlyTarget(
            outbound.http(Purpose.ProviderApi),
            "http://127.0.0.1:" + fly.getPort(),
            "atom-saas",
            "SUSPEND_REDIS",
            "fo1_secretTokenValue",
            Optional.empty());
    assertThatThrownBy(target::readFlag)
        .isInstanceOf(TargetException.class)
        .hasMessageContaining(
            "DestinationNotAllowed: provider API to 127.0.0.1 refused: not in the allowed"
                + " destinations (EGRESS_PROVIDER_API=api.upstash.com,api.machines.dev)")
        .hasMessageNotContaining("fo1_secretTokenValue");
    assertThat(fly.getRequestCount()).isZero();
  }
}
