package io.kvdb.bench;

import java.io.PrintStream;
import java.util.List;

/**
 * How the gateway's throughput compares with the same scripts called directly, workload by workload
 * (the two runs list theirs in the same order).
 */
final class DirectComparison {
  private DirectComparison() {}

  static void print(List<LoadRun.Result> gateway, List<LoadRun.Result> direct, PrintStream out) {
    for (int i = 0; i < Math.min(gateway.size(), direct.size()); i++) {
      LoadRun.Result through = gateway.get(i);
      LoadRun.Result straight = direct.get(i);
      out.printf(
          "gateway ÷ direct, %s: items/s %.2f (%,.0f / %,.0f), ops/s %.2f%n",
          through.label(),
          Ratios.of(through.itemsPerSecond(), straight.itemsPerSecond()),
          through.itemsPerSecond(),
          straight.itemsPerSecond(),
          Ratios.of(through.operationsPerSecond(), straight.operationsPerSecond()));
    }
  }
}
