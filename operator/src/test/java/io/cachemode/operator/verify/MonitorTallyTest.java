package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MonitorTallyTest {

  private static String line(String client, String... tokens) {
    StringBuilder sb = new StringBuilder("1700000000.000001 [0 ").append(client).append(']');
    for (String token : tokens) {
      sb.append(" \"").append(token).append('"');
    }
    return sb.toString();
  }

  @Test
  void countsTheGetFamilyOnlyAndMgetPerKey() {
    MonitorTally tally = new MonitorTally(client -> false);

    tally.add(line("127.0.0.1:1", "GET", "a"));
    tally.add(line("127.0.0.1:1", "get", "b"));
    tally.add(line("127.0.0.1:1", "MGET", "a", "b", "c"));
    tally.add(line("127.0.0.1:1", "GETEX", "a", "EX", "60"));
    tally.add(line("127.0.0.1:1", "GETDEL", "a"));
    // Not GETs: writes, other read commands and a malformed GET without a key.
    tally.add(line("127.0.0.1:1", "GETSET", "a", "v"));
    tally.add(line("127.0.0.1:1", "GETRANGE", "a", "0", "1"));
    tally.add(line("127.0.0.1:1", "HGET", "h", "f"));
    tally.add(line("127.0.0.1:1", "SET", "a", "v"));
    tally.add(line("127.0.0.1:1", "GET"));

    assertThat(tally.gets()).isEqualTo(1 + 1 + 3 + 1 + 1);
    assertThat(tally.lines()).isEqualTo(10);
    assertThat(tally.own()).isZero();
    assertThat(tally.unreadable()).isZero();
  }

  @Test
  void leavesOutTheOperatorsOwnClients() {
    MonitorTally tally = new MonitorTally(client -> client.equals("127.0.0.1:7000"));

    tally.add(line("127.0.0.1:7000", "GET", "a"));
    tally.add(line("127.0.0.1:7001", "GET", "a"));

    assertThat(tally.gets()).isEqualTo(1);
    assertThat(tally.own()).isEqualTo(1);
  }

  @Test
  void unreadableLinesAreCountedApart() {
    MonitorTally tally = new MonitorTally(client -> false);

    tally.add("garbage");
    tally.add(line("127.0.0.1:1", "GET", "a"));

    assertThat(tally.unreadable()).isEqualTo(1);
    assertThat(tally.gets()).isEqualTo(1);
  }
}
