package io.kvdb.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuSpentTest {
  @Test
  void eachProcessCpuIsDividedByTheCount() {
    CpuSpent spent =
        new CpuSpent(Map.of("bench", Duration.ofMillis(720)), "")
            .with("redis", Duration.ofMillis(440));

    Map<String, Double> perOperation = spent.microsPer(10_000);

    assertEquals(72.0, perOperation.get("bench"), 1e-9);
    assertEquals(44.0, perOperation.get("redis"), 1e-9);
    assertEquals(Map.of(), spent.microsPer(0));
  }

  @Test
  void theDescriptionKeepsTheProcessesInOrderAndAddsTheNotes() {
    Map<String, Double> micros = new LinkedHashMap<>();
    micros.put("bench", 72.4);
    micros.put("gateway", 110.0);
    micros.put("redis", 1234.0);

    assertEquals(
        "bench 72 us, gateway 110 us, redis 1,234 us", CpuSpent.describe(micros, List.of()));
    assertEquals(
        "bench 72 us, gateway 110 us, redis 1,234 us (a; b)",
        CpuSpent.describe(micros, List.of("a", "b")));
  }
}
