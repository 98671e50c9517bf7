package io.kvdb.fault;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What the scenarios share beyond their harnesses: bounded waits and short failure messages. */
final class Scenarios {
  private static final long RECOVERY_BOUND_NANOS =
      Long.getLong("kvdb.fault.recovery-ms", 20_000) * 1_000_000;

  private Scenarios() {}

  /**
   * Waits, bounded, until a call started after the fault has succeeded; the test asserts it did.
   */
  static void awaitRecovery(Outcomes outcomes) {
    long deadline = System.nanoTime() + RECOVERY_BOUND_NANOS;
    while (!outcomes.recovered() && System.nanoTime() < deadline) {
      RedisNode.pause(20);
    }
  }

  /**
   * Waits (bounded by the recovery bound) until {@code condition} holds; fails saying {@code what}
   * and {@code state} otherwise.
   */
  static void await(String what, Supplier<String> state, BooleanSupplier condition) {
    long deadline = System.nanoTime() + RECOVERY_BOUND_NANOS;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("never happened: " + what + "; " + state.get());
      }
      RedisNode.pause(20);
    }
  }

  static <T> List<T> firstFew(List<T> items) {
    return items.subList(0, Math.min(items.size(), 5));
  }

  /** A request's text cut to a readable length for a failure message. */
  static String shorten(String text) {
    String oneLine = text.replace('\n', ' ');
    return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
  }

  static String tail(String log) {
    return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
  }
}
