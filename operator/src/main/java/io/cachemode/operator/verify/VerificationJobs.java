package io.cachemode.operator.verify;

import io.cachemode.operator.support.DaemonThreads;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs verification work (health checks, log checks, GET-rate samples) on its own threads, so a
 * slow endpoint or a 60-second MONITOR sample never holds a reconcile thread. A reconcile asks for
 * a job by key and looks for its result in a later reconcile; the job's completion wakes the
 * CacheMode through {@code onDone}.
 *
 * <p>Results live in memory until the reconciler has recorded them in status and calls {@link
 * #forget}. If the operator restarts in between, the new process runs the job again: every job is a
 * fresh measurement, never a replay of a stale one.
 *
 * @param <O> the owner a job belongs to (a CacheMode's identity), handed to {@code onDone}
 */
public final class VerificationJobs<O> implements AutoCloseable {
  /** A job's key: its owner and what it measures, e.g. {@code health/gen3/attempt1}. */
  public record Key<O>(O owner, String name) {}

  /** A job that is still running, or its result. */
  public sealed interface State<T> permits Running, Done {}

  /**
   * @param task the job's work, cancelled when its owner is forgotten
   */
  public record Running<T>(Future<?> task) implements State<T> {}

  public record Done<T>(T result) implements State<T> {}

  private static final Logger LOG = LoggerFactory.getLogger(VerificationJobs.class);

  private final ExecutorService pool;
  private final Executor runner;
  private final Consumer<O> onDone;
  private final Map<Key<O>, State<?>> jobs = new ConcurrentHashMap<>();

  /**
   * @param threads how many jobs run at once; the rest queue, so a burst of CacheModes waits rather
   *     than opening unbounded connections
   * @param onDone called with the owner when one of its jobs finished
   */
  public VerificationJobs(int threads, Consumer<O> onDone) {
    this.pool = Executors.newFixedThreadPool(threads, DaemonThreads.named("cachemode-verify"));
    this.runner = pool;
    this.onDone = onDone;
  }

  /** Jobs run by {@code runner}; tests pass {@code Runnable::run} to run them at once. */
  public VerificationJobs(Executor runner, Consumer<O> onDone) {
    this.pool = null;
    this.runner = runner;
    this.onDone = onDone;
  }

  /**
   * Starts the job unless it is already running or done. Work must be bounded in time (every probe
   * and meter has its own timeouts) and must not throw for expected failures.
   */
  public <T> void start(Key<O> key, Supplier<T> work) {
    AtomicReference<Running<T>> self = new AtomicReference<>();
    FutureTask<Void> task = new FutureTask<>(() -> finish(key, self.get(), work), null);
    Running<T> running = new Running<>(task);
    self.set(running);
    if (jobs.putIfAbsent(key, running) != null) {
      return;
    }
    try {
      runner.execute(task);
    } catch (RejectedExecutionException e) {
      jobs.remove(key, running);
      throw e;
    }
  }

  private <T> void finish(Key<O> key, Running<T> running, Supplier<T> work) {
    boolean recorded;
    try {
      // A job cancelled meanwhile (its CacheMode was deleted) leaves no result and wakes nobody.
      recorded = jobs.replace(key, running, new Done<>(work.get()));
    } catch (RuntimeException e) {
      // A bug, not an outcome: forget the job so the next reconcile starts it again.
      recorded = jobs.remove(key, running);
      LOG.warn("verification job {} failed", key.name(), e);
    }
    if (recorded) {
      onDone.accept(key.owner());
    }
  }

  /** The job's state, or empty when it was never started (or forgotten). */
  @SuppressWarnings("unchecked")
  public <T> Optional<State<T>> state(Key<O> key) {
    return Optional.ofNullable((State<T>) jobs.get(key));
  }

  /** The result of a finished job. */
  public <T> Optional<T> result(Key<O> key) {
    return this.<T>state(key).filter(s -> s instanceof Done<T>).map(s -> ((Done<T>) s).result());
  }

  /** Drops a finished job once its result is in status. */
  public void forget(Key<O> key) {
    jobs.computeIfPresent(key, (k, s) -> s instanceof Done<?> ? null : s);
  }

  /**
   * Drops every job of an owner (the CacheMode was deleted), interrupting those still running: a
   * health check between attempts stops there, so a deleted CacheMode sends no further requests.
   */
  public void forgetAll(O owner) {
    // Removed before being cancelled: a job interrupted first could still record its result.
    for (Key<O> key : jobs.keySet().stream().filter(k -> k.owner().equals(owner)).toList()) {
      if (jobs.remove(key) instanceof Running<?> running) {
        running.task().cancel(true);
      }
    }
  }

  /** How many jobs are known (running or waiting to be recorded), for metrics and tests. */
  public int size() {
    return jobs.size();
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  /** A rough upper bound for waiting on a job before a reconcile looks again anyway. */
  public static final Duration SAFETY_RECHECK = Duration.ofMinutes(2);
}
