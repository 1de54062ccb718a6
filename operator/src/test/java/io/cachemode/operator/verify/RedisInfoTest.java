package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisInfoTest {

  @Test
  void readsRedis26LinesWithoutRejectedCalls() {
    String info =
        "# Commandstats\r\n"
            + "cmdstat_get:calls=2200000,usec=4180000,usec_per_call=1.90\r\n"
            + "cmdstat_set:calls=12,usec=40,usec_per_call=3.33\r\n";

    RedisInfo.CommandStats stats = RedisInfo.commandStats(info).orElseThrow();

    assertThat(stats.callsOf("get")).isEqualTo(2_200_000L);
    assertThat(stats.callsOf("set")).isEqualTo(12L);
  }

  @Test
  void readsRedis62LinesWithRejectedAndFailedCalls() {
    String info =
        "# Commandstats\r\n"
            + "cmdstat_get:calls=17,usec=34,usec_per_call=2.00,rejected_calls=1,failed_calls=2\r\n";

    assertThat(RedisInfo.commandStats(info).orElseThrow().callsOf("GET")).isEqualTo(17L);
  }

  @Test
  void readsRedis7SubcommandsAndExtraFieldsInAnyOrder() {
    String info =
        "# Commandstats\n"
            + "cmdstat_client|list:calls=3,usec=90,usec_per_call=30.00,rejected_calls=0,failed_calls=0\n"
            + "cmdstat_get:usec=10,calls=5,usec_per_call=2.00,rejected_calls=0,failed_calls=0,"
            + "usec_p99=7\n"
            + "cmdstat_getdel:calls=99,usec=1,usec_per_call=0.01\n";

    RedisInfo.CommandStats stats = RedisInfo.commandStats(info).orElseThrow();

    assertThat(stats.callsOf("get")).isEqualTo(5L);
    assertThat(stats.callsOf("client|list")).isEqualTo(3L);
    assertThat(stats.callsOf("getdel")).isEqualTo(99L);
  }

  @Test
  void absentGetLineMeansZeroCalls() {
    String info = "# Commandstats\r\ncmdstat_ping:calls=4,usec=2,usec_per_call=0.50\r\n";

    RedisInfo.CommandStats stats = RedisInfo.commandStats(info).orElseThrow();

    assertThat(stats.callsOf("get")).isZero();
    assertThat(stats.calls()).containsOnlyKeys("ping");
  }

  @Test
  void headingAloneParsesToNoCommands() {
    // What Upstash answers for a section it does not support; the meter reports NoData for it.
    assertThat(RedisInfo.commandStats("# Commandstats\r\n").orElseThrow().calls()).isEmpty();
  }

  @Test
  void rejectsGarbage() {
    assertThat(RedisInfo.commandStats("-ERR unknown command")).isEmpty();
    assertThat(RedisInfo.commandStats("")).isEmpty();
    assertThat(RedisInfo.commandStats(null)).isEmpty();
    assertThat(RedisInfo.commandStats("# Commandstats\ncmdstat_get:calls=many,usec=1\n")).isEmpty();
    assertThat(RedisInfo.commandStats("# Commandstats\ncmdstat_get:usec=1\n")).isEmpty();
    assertThat(RedisInfo.commandStats("# Commandstats\ncmdstat_get\n")).isEmpty();
    assertThat(RedisInfo.commandStats("# Commandstats\ncmdstat_get:calls=-1\n")).isEmpty();
  }

  @Test
  void readsUptimeFromInfoServer() {
    String info =
        "# Server\r\nredis_version:7.0.15\r\nuptime_in_seconds:86461\r\nuptime_in_days:1\r\n";

    assertThat(RedisInfo.uptimeSeconds(info)).hasValue(86461L);
    assertThat(RedisInfo.uptimeSeconds("# Server\r\nredis_version:7.0.15\r\n")).isEmpty();
    assertThat(RedisInfo.uptimeSeconds("uptime_in_seconds:soon\n")).isEmpty();
  }
}
