package io.cachemode.operator.testing;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.Jedis;

/**
 * An app's cache traffic: a GET every few milliseconds to a real redis-server while {@code
 * usesRedis} says the app runs with Redis on. Tests decide what that follows (the Secret, or
 * nothing, as the incident's app that ignored the flag).
 */
public final class RedisGetLoad implements AutoCloseable {
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong gets = new AtomicLong();
  private final Thread thread;

  private RedisGetLoad(RedisServerProcess redis, BooleanSupplier usesRedis) {
    thread =
        new Thread(
            () -> {
              try (Jedis j = redis.client()) {
                while (running.get()) {
                  if (usesRedis.getAsBoolean()) {
                    j.get("page:home");
                    gets.incrementAndGet();
                  }
                  Thread.sleep(5);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "redis-get-load");
    thread.setDaemon(true);
    thread.start();
  }

  public static RedisGetLoad start(RedisServerProcess redis, BooleanSupplier usesRedis) {
    return new RedisGetLoad(redis, usesRedis);
  }

  /** GETs sent so far. */
  public long gets() {
    return gets.get();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join();
  }
}
