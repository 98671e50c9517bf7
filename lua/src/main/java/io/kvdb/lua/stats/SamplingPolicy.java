package io.kvdb.lua.stats;

/**
 * A service's sampling and slow-response settings: a sample of every Nth invocation (0: off), how
 * many samples to keep, the slow threshold in microseconds (0: off) and how many of the slowest to
 * keep.
 */
public record SamplingPolicy(
    int sampleEvery, int samplesKept, long slowThresholdMicros, int slowKept) {
  public static final SamplingPolicy DEFAULTS = new SamplingPolicy(1, 1, 0, 100);
}
