package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.testing.ScriptedServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

class HttpGetTest {

  /**
   * A server that answers as HTTP/1.1 keep-alive and then closes the idle connection, as app
   * servers do after their idle timeout: a later check must not be sent on that dead connection.
   */
  @Test
  void aConnectionTheServerClosedWhileIdleIsNotReused() throws Exception {
    try (ScriptedServer app =
        ScriptedServer.start(
            (in, out) -> {
              ScriptedServer.readHead(in);
              out.write(
                  "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                      .getBytes(StandardCharsets.US_ASCII));
              out.flush();
              Thread.sleep(100); // then the idle timeout closes it
            })) {
      OkHttpClient shared = new OkHttpClient();
      Request request =
          new Request.Builder().url("http://127.0.0.1:" + app.port() + "/health").build();

      HttpGet.Reply first = new HttpGet(shared, Duration.ofSeconds(2)).send(request);
      Thread.sleep(500);
      HttpGet.Reply second = new HttpGet(shared, Duration.ofSeconds(2)).send(request);

      assertThat(first).isEqualTo(new HttpGet.Answered(200, "ok", java.util.Optional.empty()));
      assertThat(second).isEqualTo(first);
      assertThat(app.connections()).as("one connection per request").isEqualTo(2);
    }
  }
}
