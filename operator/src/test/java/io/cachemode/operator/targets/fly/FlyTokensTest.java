package io.cachemode.operator.targets.fly;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cases of fly-go {@code tokens/tokens_test.go}, plus the header the Machines API gets. */
class FlyTokensTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // scheme stripping, case-insensitive and repeated
        "foobar|Bearer foobar",
        "Bearer foobar|Bearer foobar",
        "FlyV1 foobar|Bearer foobar",
        "Bearer FlyV1 foobar|Bearer foobar",
        "FlyV1 Bearer foobar|Bearer foobar",
        "BEARER FLYV1 foobar|Bearer foobar",
        "'  fo1_plainApiToken\\n'|Bearer fo1_plainApiToken",
        // macaroons only, under FlyV1, whatever the order
        "fm2_foobar,foobar|FlyV1 fm2_foobar",
        "foobar,fm2_foobar|FlyV1 fm2_foobar",
        "fm2_foobar|FlyV1 fm2_foobar",
        "fm1r_readOnly|FlyV1 fm1r_readOnly",
        "fm1a_authToken|FlyV1 fm1a_authToken",
        "fm2_first, fm2_second|FlyV1 fm2_first,fm2_second",
        "flyv1 fm2_first,fm2_second|FlyV1 fm2_first,fm2_second",
        "Bearer fm2_macaroon|FlyV1 fm2_macaroon",
        // strings.Cut without an underscore: the whole token is the prefix
        "fm2|FlyV1 fm2",
        "fm3_other|Bearer fm3_other"
      })
  void headerFollowsFlyGo(String token, String header) {
    assertThat(FlyApi.authorization(token.replace("\\n", "\n"))).isEqualTo(header);
  }
}
