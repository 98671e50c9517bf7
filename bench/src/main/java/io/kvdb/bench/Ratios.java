package io.kvdb.bench;

import java.util.List;
import java.util.Objects;

/** Ratios of two runs' figures, and their median over rounds. */
final class Ratios {
  private Ratios() {}

  /** {@code numerator / denominator}; NaN when the denominator is not positive. */
  static double of(double numerator, double denominator) {
    return denominator > 0 ? numerator / denominator : Double.NaN;
  }

  /** The median of the ratios that are numbers (the mean of the middle two of an even count). */
  static double median(List<Double> ratios) {
    double[] sorted =
        ratios.stream()
            .filter(Objects::nonNull)
            .mapToDouble(Double::doubleValue)
            .filter(ratio -> !Double.isNaN(ratio))
            .sorted()
            .toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
