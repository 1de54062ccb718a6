package io.cachemode.operator.targets.fly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachemode.operator.targets.TargetException;
import io.cachemode.operator.testing.LocalHttpServer;
import io.cachemode.operator.testing.ScriptedServer;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class FlyApiTest {

  @Test
  void redactMasksTheTokenInEveryForm() {
    FlyApi api =
        new FlyApi(
            new OkHttpClient(),
            "https://api.machines.dev",
            "app",
            "FlyV1 fm2_firstPart,fm2_secondPart");
    assertThat(api.redact("a FlyV1 fm2_firstPart,fm2_secondPart b fm2_secondPart c"))
        .isEqualTo("a *** b *** c");
  }

  @Test
  void redactMasksUserTokensThatAreNotSent() {
    FlyApi api =
        new FlyApi(
            new OkHttpClient(),
            "https://api.machines.dev",
            "app",
            "fm2_macaroonPart,fo1_userToken");
    assertThat(api.redact("x fo1_userToken y fm2_macaroonPart,fo1_userToken"))
        .isEqualTo("x *** y ***");
  }

  @Test
  void shortStringsAreNotMasked() {
    FlyApi api = new FlyApi(new OkHttpClient(), "https://api.machines.dev", "app", "x");
    assertThat(api.redact("six x")).isEqualTo("six x");
  }

  @Test
  void apiUrlMustBeHttp() {
    assertThatThrownBy(() -> new FlyApi(new OkHttpClient(), "api.machines.dev", "app", "tok"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an http(s) URL: api.machines.dev");
  }

  @Test
  void aSlowLorisApiIsCutOffByTheCallTimeout() {
    try (ScriptedServer loris =
        ScriptedServer.slowLoris(
            "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + "[]".repeat(50),
            Duration.ofMillis(200))) {
      FlyApi api =
          new FlyApi(
              new OkHttpClient(),
              "http://127.0.0.1:" + loris.port(),
              "app",
              "tok",
              Duration.ofSeconds(1));
      long started = System.nanoTime();
      assertThatThrownBy(api::machines)
          .isInstanceOf(TargetException.class)
          .hasMessage("Fly API GET /v1/apps/app/machines failed: InterruptedIOException: timeout");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void anOversizedOrMalformedReplyIsRefusedWithoutQuotingIt() {
    try (LocalHttpServer fly =
        new LocalHttpServer()
            .route(
                "/huge/v1/apps/app/machines",
                () -> new LocalHttpServer.Answer(200, "[" + "{},".repeat(3_000_000) + "{}]"))
            .route(
                "/bad/v1/apps/app/machines",
                () -> new LocalHttpServer.Answer(200, "[{\"id\": \"secret-ish\", tru"))) {
      assertThatThrownBy(
              () -> new FlyApi(new OkHttpClient(), fly.url("/huge"), "app", "tok").machines())
          .isInstanceOf(TargetException.class)
          .hasMessage("Fly API GET /huge/v1/apps/app/machines returned more than 8 MiB");
      assertThatThrownBy(
              () -> new FlyApi(new OkHttpClient(), fly.url("/bad"), "app", "tok").machines())
          .hasMessage("Fly API GET /bad/v1/apps/app/machines returned a body that is not JSON");
    }
  }
}
