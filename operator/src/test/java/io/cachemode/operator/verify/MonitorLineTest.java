package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MonitorLineTest {

  @Test
  void readsClientCommandAndArgumentCount() {
    assertThat(MonitorLine.parse("1339518083.107412 [0 127.0.0.1:60866] \"GET\" \"session:42\""))
        .contains(new MonitorLine.Parsed("127.0.0.1:60866", "get", 1));
    assertThat(MonitorLine.parse("1700000000.000001 [3 10.0.0.7:5000] \"mget\" \"a\" \"b\" \"c\""))
        .contains(new MonitorLine.Parsed("10.0.0.7:5000", "mget", 3));
    assertThat(MonitorLine.parse("1700000000.000001 [0 lua] \"get\" \"k\""))
        .contains(new MonitorLine.Parsed("lua", "get", 1));
    assertThat(MonitorLine.parse("1700000000.000001 [0 unix:/run/redis.sock] \"PING\""))
        .contains(new MonitorLine.Parsed("unix:/run/redis.sock", "ping", 0));
  }

  @Test
  void readsABracketedIpv6Client() {
    assertThat(MonitorLine.parse("1700000000.000001 [0 [::1]:41234] \"GETEX\" \"k\" \"EX\" \"10\""))
        .contains(new MonitorLine.Parsed("[::1]:41234", "getex", 3));
  }

  @Test
  void escapedQuotesBackslashesAndBytesInArgumentsDoNotSplitThem() {
    String line =
        "1700000000.000001 [0 127.0.0.1:1] \"MGET\" \"a\\\"b\" \"c\\\\\" \"\\xe2\\x9c\\x93\" \"] \\\"x\"";

    assertThat(MonitorLine.parse(line)).contains(new MonitorLine.Parsed("127.0.0.1:1", "mget", 4));
  }

  /** Upstash's MONITOR as its REST docs show it (upstash/docs redis/features/restapi.mdx). */
  @Test
  void readsUpstashsMaskedClient() {
    assertThat(MonitorLine.parse("1700000000.123456 [0 0.0.0.0:0] \"GET\" \"k\""))
        .contains(new MonitorLine.Parsed("0.0.0.0:0", "get", 1));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "OK",
        "1700000000.1 [0 127.0.0.1:1]",
        "1700000000.1 [0 127.0.0.1:1] GET k",
        "1700000000.1 [0 127.0.0.1:1] \"GET\" \"unterminated",
        "1700000000.1 [0127.0.0.1:1] \"GET\"",
        "1700000000.1 [0 127.0.0.1:1] \"\"",
        "1700000000.1 [0 127.0.0.1:1] \"GET\"\"k\""
      })
  void anythingElseIsUnreadable(String line) {
    assertThat(MonitorLine.parse(line)).isEmpty();
  }
}
