package io.cachemode.operator.flag;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FlagLocationTest {

  /**
   * Pinned: these are the hashes earlier releases put on pod templates. If this test fails, an
   * upgrade would restart every managed workload once for nothing.
   */
  @Test
  void restartHashesAreThoseEarlierReleasesWrote() {
    assertThat(FlagLocation.secret("atom", "atom-saas-env", "SUSPEND_REDIS").flagHash("true"))
        .isEqualTo("5d6db761a0c6aa3a");
    assertThat(FlagLocation.flyApp("atom-saas", "SUSPEND_REDIS").flagHash("true"))
        .isEqualTo("76f7386869898fa1");
  }

  @Test
  void identityIgnoresHowTheLocationIsWordedForPeople() {
    FlagLocation a = FlagLocation.secret("atom", "env", "SUSPEND_REDIS");
    assertThat(a.id()).isEqualTo("Secret atom/env key SUSPEND_REDIS");
    assertThat(a.flagHash("true")).isNotEqualTo(a.flagHash("false"));
    assertThat(FlagLocation.secret("atom", "env", "OTHER").id()).isNotEqualTo(a.id());
    assertThat(FlagLocation.flyApp("env", "SUSPEND_REDIS").id()).isNotEqualTo(a.id());
  }
}
