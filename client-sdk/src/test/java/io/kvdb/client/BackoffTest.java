package io.kvdb.client;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

  @Test
  void eachAttemptWaitsBetweenHalfAndAllOfADoublingStepUpToTheMax() {
    Random random = new Random(7);
    long[] steps = {100, 200, 400, 800, 1600, 3200, 5000, 5000};
    for (int attempt = 0; attempt < steps.length; attempt++) {
      for (int i = 0; i < 200; i++) {
        long waited = backoff.delay(attempt, random).toMillis();
        assertTrue(
            waited >= steps[attempt] / 2 && waited <= steps[attempt],
            "attempt " + attempt + " waited " + waited + " ms");
      }
    }
    assertTrue(
        backoff.delay(Integer.MAX_VALUE, random).compareTo(Duration.ofSeconds(5)) <= 0,
        "capped however many");
  }

  @Test
  void waitsAreJittered() {
    Random random = new Random(11);
    Set<Duration> waits = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      waits.add(backoff.delay(3, random));
    }
    assertTrue(waits.size() > 10, "distinct waits: " + waits.size());
  }

  @Test
  void boundsMustBePositiveAndOrdered() {
    assertThrows(
        IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }
}
