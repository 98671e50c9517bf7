package io.kvdb.fault;

import io.grpc.Status;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * How every call of a scenario ended, by status code, with the first UNKNOWN or INTERNAL answer of
 * each method kept verbatim for the report; and the time from the fault to the first call that
 * started after it and succeeded.
 */
final class Outcomes {
  private static final int EXAMPLES = 40;

  private final Map<Status.Code, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, String> examples = new ConcurrentHashMap<>();
  private final AtomicLong faultAt = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong recoveredAt = new AtomicLong(Long.MAX_VALUE);

  /** A call that started at {@code startNanos} succeeded now. */
  void ok(long startNanos) {
    record(Status.Code.OK);
    if (startNanos >= faultAt.get()) {
      recoveredAt.accumulateAndGet(System.nanoTime(), Math::min);
    }
  }

  /** A call failed; {@code call} starts with the method's name, then says what was sent. */
  void failed(String call, Throwable failure) {
    Status status = Status.fromThrowable(failure);
    record(status.getCode());
    if (bad(status.getCode()) && examples.size() < EXAMPLES) {
      String method = call.split(" ", 2)[0];
      examples.putIfAbsent(
          method + " " + status.getCode(),
          call + ": " + status.getCode() + " " + status.getDescription());
    }
  }

  void record(Status.Code code) {
    counts.computeIfAbsent(code, c -> new LongAdder()).increment();
  }

  /** From now on, the first success of a call started after this instant measures recovery. */
  void fault() {
    faultAt.set(System.nanoTime());
    recoveredAt.set(Long.MAX_VALUE);
  }

  boolean recovered() {
    return recoveredAt.get() != Long.MAX_VALUE;
  }

  /** Milliseconds from the fault to the first success after it; -1 if none yet. */
  long recoveryMillis() {
    return recovered() ? (recoveredAt.get() - faultAt.get()) / 1_000_000 : -1;
  }

  long count(Status.Code code) {
    LongAdder adder = counts.get(code);
    return adder == null ? 0 : adder.sum();
  }

  long unknownOrInternal() {
    return count(Status.Code.UNKNOWN) + count(Status.Code.INTERNAL);
  }

  /** One UNKNOWN or INTERNAL answer per method and code, in method order. */
  List<String> examples() {
    return new TreeMap<>(examples).values().stream().toList();
  }

  /** {@code {OK=123, UNAVAILABLE=4}}: every code seen, in the enum's order. */
  String summary() {
    Map<Status.Code, Long> sorted = new EnumMap<>(Status.Code.class);
    counts.forEach((code, adder) -> sorted.put(code, adder.sum()));
    return sorted.toString();
  }

  private static boolean bad(Status.Code code) {
    return code == Status.Code.UNKNOWN || code == Status.Code.INTERNAL;
  }
}
