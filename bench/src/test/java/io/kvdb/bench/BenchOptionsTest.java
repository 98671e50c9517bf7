package io.kvdb.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
  @Test
  void aNameFollowedByAnotherOptionOrNothingIsAFlag() {
    BenchOptions options =
        BenchOptions.parse(new String[] {"locks", "--direct", "--clients", "4", "--json"}, 1);

    assertTrue(options.flag("direct"));
    assertTrue(options.flag("json"));
    assertEquals(4, options.integer("clients", 16));
    assertFalse(options.flag("absent"));
  }

  @Test
  void theWarmupIsFortySecondsUnlessGiven() {
    assertEquals(Duration.ofSeconds(40), BenchOptions.parse(new String[] {}, 0).warmup());
    assertEquals(
        Duration.ofSeconds(2), BenchOptions.parse(new String[] {"--warmup", "2"}, 0).warmup());
  }

  @Test
  void aValueWithoutItsNameIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"4"}, 0));
  }

  @Test
  void anOptionNoBenchmarkReadsIsRefused() {
    BenchOptions options = BenchOptions.parse(new String[] {"--clinets", "4"}, 0);

    assertThrows(
        IllegalArgumentException.class,
        () -> options.rejectUnknown(List.of("warmup"), List.of("clients")));
  }
}
