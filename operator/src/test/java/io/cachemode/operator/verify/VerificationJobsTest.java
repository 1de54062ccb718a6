package io.cachemode.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cachemode.operator.api.HealthCheckSpec;
import io.cachemode.operator.testing.LocalHttpServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class VerificationJobsTest {
  private final List<String> woken = new CopyOnWriteArrayList<>();
  private final VerificationJobs<String> jobs = new VerificationJobs<>(2, woken::add);

  @Test
  void aFinishedJobsResultWaitsUntilForgotten() {
    jobs.start(new VerificationJobs.Key<>("shop", "baseline"), () -> 42);
    await().atMost(Duration.ofSeconds(5)).until(() -> woken.contains("shop"));
    assertThat(jobs.<Integer>result(new VerificationJobs.Key<>("shop", "baseline"))).hasValue(42);
    jobs.forgetAll("shop");
    assertThat(jobs.size()).isZero();
  }

  @Test
  void forgettingAnOwnerInterruptsItsRunningJobWhichLeavesNoResult() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    VerificationJobs.Key<String> key = new VerificationJobs.Key<>("gone", "health/gen1");
    jobs.start(
        key,
        () -> {
          started.countDown();
          try {
            Thread.sleep(30_000);
          } catch (InterruptedException e) {
            interrupted.countDown();
          }
          return "late result";
        });
    jobs.start(new VerificationJobs.Key<>("other", "health/gen1"), () -> "kept");
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

    jobs.forgetAll("gone");

    assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("the job was interrupted").isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> woken.contains("other"));
    Thread.sleep(200);
    assertThat(jobs.state(key)).as("no result is left behind").isEmpty();
    assertThat(woken).as("nobody is woken for a forgotten owner").containsExactly("other");
    assertThat(jobs.size()).isEqualTo(1);
  }

  @Test
  void aForgottenHealthCheckSendsNoFurtherAttempt() throws Exception {
    try (LocalHttpServer app =
        new LocalHttpServer().route("/health", () -> new LocalHttpServer.Answer(503, "down"))) {
      HealthCheckSpec spec = new HealthCheckSpec();
      spec.setName("api");
      spec.setUrl(app.url("/health"));
      spec.setAttempts(10);
      spec.setInterval("500ms");
      spec.setTimeout("1s");
      HealthProbe probe =
          new HealthProbe(new OkHttpClient(), Clock.systemUTC(), HealthProbe.Sleeper.real());
      jobs.start(new VerificationJobs.Key<>("gone", "health/gen1"), () -> probe.check(spec));
      await().atMost(Duration.ofSeconds(5)).until(() -> app.requests("/health") >= 1);

      jobs.forgetAll("gone");
      int atForget = app.requests("/health");
      Thread.sleep(2000);

      assertThat(app.requests("/health"))
          .as("at most the attempt in flight, none after it")
          .isLessThanOrEqualTo(atForget + 1)
          .isLessThan(10);
      assertThat(woken).isEmpty();
    }
  }
}
