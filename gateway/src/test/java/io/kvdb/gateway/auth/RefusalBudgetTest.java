package io.kvdb.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A second's budget of refusal lines, and the count of those left out, on a clock of our own. */
class RefusalBudgetTest {
  private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1_000));
  private final RefusalBudget budget = new RefusalBudget(3, now::get);

  @Test
  void linesPastTheBudgetAreCountedAndReportedInTheNextSecond() {
    long written = IntStream.range(0, 10).filter(i -> budget.take().write()).count();
    assertEquals(3, written);

    now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    assertEquals(new RefusalBudget.Verdict(true, OptionalLong.of(7)), budget.take());
    assertEquals(new RefusalBudget.Verdict(true, OptionalLong.empty()), budget.take());
  }

  @Test
  void aQuietSecondReportsNothing() {
    budget.take();
    now.addAndGet(TimeUnit.SECONDS.toNanos(5));
    assertEquals(new RefusalBudget.Verdict(true, OptionalLong.empty()), budget.take());
  }
}
