package io.kvdb.gateway.auth;

import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How many refused calls a second the audit log writes one line for: a flood of bad credentials
 * must not turn into a flood of log lines. Past the budget lines are counted instead, and the count
 * is reported with the first line of a later second.
 */
final class RefusalBudget {
  private final int perSecond;
  private final LongSupplier nanoTime;
  private long second = Long.MIN_VALUE;
  private int used;
  private long suppressed;

  RefusalBudget(int perSecond, LongSupplier nanoTime) {
    this.perSecond = perSecond;
    this.nanoTime = nanoTime;
  }

  /** The outcome of one refusal's line. */
  record Verdict(boolean write, OptionalLong suppressedBefore) {}

  /**
   * Whether to write this refusal's line, and, when it is the first of a new second, how many were
   * left out since the last report.
   */
  synchronized Verdict take() {
    long now = TimeUnit.NANOSECONDS.toSeconds(nanoTime.getAsLong());
    OptionalLong report = OptionalLong.empty();
    if (now != second) {
      second = now;
      used = 0;
      if (suppressed > 0) {
        report = OptionalLong.of(suppressed);
        suppressed = 0;
      }
    }
    if (used < perSecond) {
      used++;
      return new Verdict(true, report);
    }
    suppressed++;
    return new Verdict(false, report);
  }
}
