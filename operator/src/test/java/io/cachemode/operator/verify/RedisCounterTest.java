package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisCounterTest {

  @Test
  void headingOnlyCommandstatsIsUnsupportedNotZeroGets() {
    RedisCounter.Reading reading =
        RedisCounter.CommandStats.read("# Commandstats\r\n", "Redis at h:6379");

    assertThat(reading.value()).isEmpty();
    assertThat(reading.failure())
        .isEqualTo(
            new Measurement.Failure(
                FailureKind.Unsupported,
                "Redis at h:6379 serves no command counters in INFO commandstats (only its"
                    + " heading, as Upstash does); use method Monitor or Auto"));
  }

  @Test
  void commandstatsWithoutGetLineIsZeroGets() {
    RedisCounter.Reading reading =
        RedisCounter.CommandStats.read(
            "# Commandstats\r\ncmdstat_set:calls=3,usec=9,usec_per_call=3.00\r\n", "h");

    assertThat(reading.value()).hasValue(0);
  }

  @Test
  void keyspaceIsHitsPlusMisses() {
    String stats = "# Stats\r\nkeyspace_hits:120\r\nkeyspace_misses:30\r\nexpired_keys:0\r\n";

    assertThat(RedisCounter.Keyspace.read(stats, "h").value()).hasValue(150);
    assertThat(RedisCounter.Keyspace.read("# Stats\r\nkeyspace_hits:1\r\n", "h").failure().kind())
        .isEqualTo(FailureKind.Unsupported);
  }
}
