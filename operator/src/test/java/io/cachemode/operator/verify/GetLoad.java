package io.cachemode.operator.verify;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;

/**
 * The application under test: a thread that reads its cache with GET every few milliseconds while
 * its flag says Redis is active, and stops reading (local memory mode) once it says suspended.
 */
final class GetLoad implements AutoCloseable {

  private final AtomicBoolean suspended = new AtomicBoolean();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicLong gets = new AtomicLong();
  private final Thread thread;

  GetLoad(Supplier<Jedis> client) {
    thread =
        new Thread(
            () -> {
              try (Jedis jedis = client.get()) {
                jedis.set("cache:hot", "value");
                while (!stop.get()) {
                  if (!suspended.get()) {
                    jedis.get(gets.incrementAndGet() % 2 == 0 ? "cache:hot" : "cache:cold");
                  }
                  Thread.sleep(4);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "get-load");
    thread.setDaemon(true);
    thread.start();
  }

  /** The app restarted with the flag: {@code true} stops its GETs. */
  void flag(boolean suspend) {
    suspended.set(suspend);
  }

  long gets() {
    return gets.get();
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    thread.join(5_000);
  }
}
