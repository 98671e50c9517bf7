package io.kvdb.bench;

/**
 * The load of the messages bench, whether through the gateway or straight to Redis: queues,
 * producers and consumers, and messages of {@code size} bytes posted {@code batch} at a time.
 */
record MessageShape(int queues, int producers, int consumers, int batch, int size) {
  static MessageShape of(BenchOptions options) {
    return new MessageShape(
        options.integer("queues", 1),
        options.integer("producers", 2),
        options.integer("consumers", 2),
        options.integer("batch", 100),
        options.integer("size", 256));
  }

  /** How workloads name the shape, e.g. {@code 256 B x 100}. */
  String describe() {
    return String.format("%d B x %d", size, batch);
  }

  /** Which queue a worker's call number {@code round} goes to: each call the next queue. */
  int queueOf(int worker, int round) {
    return (worker + round) % queues;
  }
}
