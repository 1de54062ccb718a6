package io.cachemode.operator.targets.fly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlyApiTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "fo1_plainApiToken|Bearer fo1_plainApiToken",
        "'  fo1_plainApiToken\\n'|Bearer fo1_plainApiToken",
        "Bearer fo1_plainApiToken|Bearer fo1_plainApiToken",
        "fm2_macaroon|FlyV1 fm2_macaroon",
        "fm1r_readOnlyMacaroon|FlyV1 fm1r_readOnlyMacaroon",
        "fm2_first,fm2_second|FlyV1 fm2_first,fm2_second",
        "FlyV1 fm2_first,fm2_second|FlyV1 fm2_first,fm2_second",
        "Bearer fm2_macaroon|FlyV1 fm2_macaroon"
      })
  void authorizationHeader(String token, String header) {
    assertThat(FlyApi.authorization(token.replace("\\n", "\n"))).isEqualTo(header);
  }

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
