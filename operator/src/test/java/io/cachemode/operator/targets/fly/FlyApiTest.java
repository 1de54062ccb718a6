package io.cachemode.operator.targets.fly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
