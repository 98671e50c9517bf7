package io.kvdb.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: attempt {@code n} waits between half and all of {@code min(max,
 * initial x 2^n)}, so clients that lost the same gateway spread their retries out instead of
 * returning together.
 */
record Backoff(Duration initial, Duration max) {
  Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < initial <= max, got " + initial + " and " + max);
    }
  }

  Duration delay(int attempt, RandomGenerator random) {
    long ceiling = max.toNanos();
    long step = initial.toNanos();
    for (int i = 0; i < attempt && step < ceiling; i++) {
      step = Math.min(ceiling, step * 2);
    }
    step = Math.min(ceiling, step);
    long half = step / 2;
    return Duration.ofNanos(half + random.nextLong(step - half + 1));
  }
}
