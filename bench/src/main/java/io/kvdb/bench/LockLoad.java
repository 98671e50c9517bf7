package io.kvdb.bench;

import java.time.Duration;

/**
 * The load of the locks bench, through the gateway or straight to Redis: {@code clients} workers,
 * each on a name of its own (uncontended) or all on one name (contended).
 */
record LockLoad(int clients, boolean oneName) {
  static final Duration LEASE = Duration.ofSeconds(30);

  static LockLoad of(BenchOptions options) {
    return new LockLoad(
        options.integer("clients", 16), options.text("names", "distinct").equals("one"));
  }

  String label() {
    return String.format(
        "locks %d clients on %s", clients, oneName ? "one name" : "their own names");
  }

  String nameOf(int worker) {
    return oneName ? "hot" : "lock-" + worker;
  }
}
