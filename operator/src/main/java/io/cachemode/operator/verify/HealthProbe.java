package io.cachemode.operator.verify;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.cachemode.operator.api.CheckResult;
import io.cachemode.operator.api.FollowRedirects;
import io.cachemode.operator.api.HealthCheckSpec;
import io.cachemode.operator.api.HealthExpectation;
import io.cachemode.operator.support.Durations;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/** Runs the HTTP health checks of a CacheMode. */
public final class HealthProbe {

  /** Waits between attempts; tests pass one that only records the pause. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    static Sleeper real() {
      return duration -> Thread.sleep(duration.toMillis());
    }
  }

  private static final String USER_AGENT = "cachemode-operator";
  private static final int DEFAULT_ATTEMPTS = 3;

  private final OkHttpClient http;
  private final Clock clock;
  private final Sleeper sleeper;

  /**
   * @param http the shared client; each check derives one with its own timeout
   * @param clock source of {@link HealthOutcome#checkedAt()}
   * @param sleeper waits between attempts
   */
  public HealthProbe(OkHttpClient http, Clock clock, Sleeper sleeper) {
    this.http = http;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * Runs up to {@code attempts} attempts, {@code interval} apart; the first attempt that meets
   * every expectation passes the check. Never throws for a failing endpoint.
   */
  public HealthOutcome check(HealthCheckSpec spec) {
    String name = spec.getName();
    HttpUrl url = spec.getUrl() == null ? null : HttpUrl.parse(spec.getUrl());
    if (url == null) {
      // The URL is not echoed: it may carry credentials.
      return notRun(name, "url is not an http or https URL");
    }
    Duration timeout;
    Duration interval;
    Expectation expectation;
    try {
      timeout = Durations.parse(spec.getTimeout());
      interval = Durations.parse(spec.getInterval());
      expectation = Expectation.of(spec.getExpect());
    } catch (IllegalArgumentException e) {
      return notRun(name, e.getMessage());
    }
    int attempts = spec.getAttempts() == null ? DEFAULT_ATTEMPTS : Math.max(1, spec.getAttempts());

    FollowRedirects redirects =
        spec.getFollowRedirects() == null ? FollowRedirects.Never : spec.getFollowRedirects();
    HttpGet get = new HttpGet(http, timeout, redirects);
    Request request = new Request.Builder().url(url).header("User-Agent", USER_AGENT).build();
    HealthOutcome last = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) {
        try {
          sleeper.sleep(interval);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return new HealthOutcome(
              name,
              CheckResult.Inconclusive,
              last.httpStatus(),
              last.latencyMillis(),
              attempt - 1,
              clock.instant(),
              "interrupted after attempt " + (attempt - 1) + " of " + attempts);
        }
      }
      // The injected clock stamps results; latency needs a monotonic source.
      long started = System.nanoTime();
      HttpGet.Reply reply = get.send(request);
      long latencyMillis = (System.nanoTime() - started) / 1_000_000;
      if (reply instanceof HttpGet.NoAnswer none && none.refusal().isPresent()) {
        // The policy decides the same way on every attempt: nothing was sent, so nothing was
        // learnt about the app's health.
        return notRun(name, none.reason());
      }
      Integer status = reply instanceof HttpGet.Answered answered ? answered.status() : null;
      List<String> differences =
          reply instanceof HttpGet.Answered answered
              ? expectation.differences(answered)
              : List.of(((HttpGet.NoAnswer) reply).reason());
      if (differences.isEmpty()) {
        return new HealthOutcome(
            name,
            CheckResult.Passed,
            status,
            latencyMillis,
            attempt,
            clock.instant(),
            "passed on attempt " + attempt + " of " + attempts);
      }
      last =
          new HealthOutcome(
              name,
              CheckResult.Failed,
              status,
              latencyMillis,
              attempt,
              clock.instant(),
              String.join("; ", differences));
    }
    return last;
  }

  private HealthOutcome notRun(String name, String message) {
    return new HealthOutcome(name, CheckResult.Inconclusive, null, 0, 0, clock.instant(), message);
  }

  /** The expectation of one check, validated once before the first attempt. */
  private record Expectation(
      int status, String bodyContains, JsonPointer pointer, String jsonValue) {

    static Expectation of(HealthExpectation expect) {
      HealthExpectation e = expect == null ? new HealthExpectation() : expect;
      JsonPointer pointer = null;
      if (e.getJsonPointer() != null) {
        try {
          pointer = JsonPointer.compile(e.getJsonPointer());
        } catch (IllegalArgumentException invalid) {
          throw new IllegalArgumentException(
              "expect.jsonPointer \"" + e.getJsonPointer() + "\" is not an RFC 6901 pointer");
        }
      }
      return new Expectation(
          e.getStatus() == null ? 200 : e.getStatus(),
          e.getBodyContains(),
          pointer,
          e.getJsonValue());
    }

    List<String> differences(HttpGet.Answered response) {
      List<String> differences = new ArrayList<>();
      if (response.status() != status) {
        differences.add(
            "expected status "
                + status
                + ", got "
                + response.status()
                + response.redirectNotFollowed().map(why -> ": " + why).orElse(""));
      }
      if (bodyContains != null && !response.body().contains(bodyContains)) {
        differences.add("body does not contain \"" + bodyContains + "\"");
      }
      if (pointer != null) {
        jsonDifference(response).ifPresent(differences::add);
      }
      return differences;
    }

    private Optional<String> jsonDifference(HttpGet.Answered response) {
      Optional<JsonNode> body = response.json();
      if (body.isEmpty()) {
        return Optional.of("body is not JSON");
      }
      JsonNode node = body.get().at(pointer);
      if (node.isMissingNode()) {
        return Optional.of(pointer + " missing");
      }
      if (jsonValue == null) {
        return Optional.empty();
      }
      // A string compares without its quotes, anything else as its JSON text (1.50, true, null).
      String actual = node.isTextual() ? node.textValue() : node.toString();
      if (actual.equals(jsonValue)) {
        return Optional.empty();
      }
      return Optional.of(
          pointer
              + " is "
              + HttpGet.abbreviate(node.toString())
              + ", expected \""
              + jsonValue
              + "\"");
    }
  }
}
