package io.kvdb.lua.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting in tests by condition, never by a bare sleep: {@link #await} polls until something holds,
 * {@link #holdsFor} checks that something stays true through a short window (a negative claim needs
 * one), {@link #clockPasses} waits for a TTL to run out. Bounds are short and configurable: {@code
 * -Dkvdb.test.patience-ms} (default 10 000) caps every wait.
 */
public final class Eventually {
  private static final long POLL_MILLIS = 10;
  private static final Duration PATIENCE =
      Duration.ofMillis(Long.getLong("kvdb.test.patience-ms", 10_000));

  private Eventually() {}

  /** Polls until {@code condition} holds; fails naming {@code what} after the patience bound. */
  public static void await(String what, BooleanSupplier condition) {
    within(PATIENCE, () -> what, condition);
  }

  /** As {@link #await}; {@code what} is asked only on failure, to describe the state then. */
  public static void await(Supplier<String> what, BooleanSupplier condition) {
    within(PATIENCE, what, condition);
  }

  /** As {@link #await}, with a bound of its own: for claims that something happens promptly. */
  public static void within(Duration bound, Supplier<String> what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "never happened within " + bound.toMillis() + " ms: " + what.get());
      }
      pause();
    }
  }

  /** Fails as soon as {@code condition} stops holding during {@code window}. */
  public static void holdsFor(String what, Duration window, BooleanSupplier condition) {
    long end = System.nanoTime() + window.toNanos();
    do {
      if (!condition.getAsBoolean()) {
        throw new AssertionError("stopped holding within " + window.toMillis() + " ms: " + what);
      }
      pause();
    } while (System.nanoTime() < end);
  }

  /**
   * Waits until this machine's clock (the Redis clock's, on one box) is past {@code epochMillis}.
   */
  public static void clockPasses(long epochMillis) {
    await("the clock passes " + epochMillis, () -> System.currentTimeMillis() > epochMillis);
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }
}
