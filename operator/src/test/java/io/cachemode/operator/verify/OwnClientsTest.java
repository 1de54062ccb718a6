package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class OwnClientsTest {

  @Test
  void parsesIpLiteralsOnly() throws Exception {
    assertThat(OwnClients.parse("127.0.0.1:6000"))
        .contains(new OwnClients.Endpoint(InetAddress.getByName("127.0.0.1"), 6000));
    assertThat(OwnClients.parse("[::1]:6000"))
        .contains(new OwnClients.Endpoint(InetAddress.getByName("::1"), 6000));
    // Names are never resolved; lua and unix sockets have no address.
    assertThat(OwnClients.parse("redis.example.com:6000")).isEmpty();
    assertThat(OwnClients.parse("lua")).isEmpty();
    assertThat(OwnClients.parse("unix:/run/redis.sock")).isEmpty();
    assertThat(OwnClients.parse("127.0.0.1:port")).isEmpty();
  }

  @Test
  void withNoOpenSocketNothingIsOwn() {
    assertThat(new OwnClients().isOwn("127.0.0.1:6000")).isFalse();
  }
}
