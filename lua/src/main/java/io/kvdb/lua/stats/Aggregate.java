package io.kvdb.lua.stats;

import io.kvdb.lua.script.ScriptReply;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Statistics of a period: count, errors, sum, min and max (microseconds), and the log-scale
 * histogram that percentiles come from. Aggregates merge exactly: sums add, bounds widen,
 * histograms add bucket by bucket.
 */
public record Aggregate(
    long count,
    long errors,
    long sumMicros,
    long minMicros,
    long maxMicros,
    Map<Integer, Long> histogram) {
  /** Histogram bucket i (from 1) holds [1.05^(i-1), 1.05^i) us; bucket 0 holds under 1 us. */
  static final double BASE = 1.05;

  public static final Aggregate EMPTY = new Aggregate(0, 0, 0, 0, 0, Map.of());

  public Aggregate {
    histogram = Map.copyOf(histogram);
  }

  /**
   * Reads one period of a stats/read reply: count, errors, sum, min or '', max or '', k, then k
   * pairs of histogram index and count. A period with no invocations is {@link #EMPTY}.
   */
  static Aggregate read(ScriptReply reply) {
    long count = reply.nextLong();
    long errors = reply.nextLong();
    long sum = reply.nextLong();
    String min = reply.nextString();
    String max = reply.nextString();
    int pairs = reply.nextInt();
    Map<Integer, Long> histogram = new HashMap<>();
    for (int i = 0; i < pairs; i++) {
      int index = reply.nextInt();
      histogram.put(index, reply.nextLong());
    }
    return count == 0
        ? EMPTY
        : new Aggregate(count, errors, sum, Long.parseLong(min), Long.parseLong(max), histogram);
  }

  public Aggregate merge(Aggregate other) {
    if (other.count == 0) {
      return this;
    }
    if (count == 0) {
      return other;
    }
    Map<Integer, Long> merged = new TreeMap<>(histogram);
    other.histogram.forEach((index, n) -> merged.merge(index, n, Long::sum));
    return new Aggregate(
        count + other.count,
        errors + other.errors,
        sumMicros + other.sumMicros,
        Math.min(minMicros, other.minMicros),
        Math.max(maxMicros, other.maxMicros),
        merged);
  }

  public double meanMicros() {
    return count == 0 ? 0 : (double) sumMicros / count;
  }

  /**
   * The duration at quantile {@code q} (0..1): the middle of the histogram bucket holding it, so
   * within 2.5 % of the true value, and clamped to the recorded min and max.
   */
  public double percentileMicros(double q) {
    if (count == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(q * count));
    long seen = 0;
    for (Map.Entry<Integer, Long> bucket : new TreeMap<>(histogram).entrySet()) {
      seen += bucket.getValue();
      if (seen >= rank) {
        double middle = bucket.getKey() == 0 ? 0.5 : Math.pow(BASE, bucket.getKey() - 0.5);
        return Math.max(minMicros, Math.min(maxMicros, middle));
      }
    }
    return maxMicros;
  }
}
