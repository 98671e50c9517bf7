package io.kvdb.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RatiosTest {
  @Test
  void medianOfAnOddCountIsTheMiddleOne() {
    assertEquals(1.1, Ratios.median(List.of(1.3, 0.9, 1.1)));
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertEquals(1.0, Ratios.median(List.of(1.2, 0.8, 1.1, 0.9)), 1e-12);
  }

  @Test
  void ratiosThatAreNotNumbersAreLeftOut() {
    assertEquals(2.0, Ratios.median(Arrays.asList(Double.NaN, 2.0, null)));
    assertTrue(Double.isNaN(Ratios.median(List.of(Double.NaN))));
  }

  @Test
  void aRatioOverNothingIsNotANumber() {
    assertEquals(0.5, Ratios.of(1, 2));
    assertTrue(Double.isNaN(Ratios.of(1, 0)));
    assertTrue(Double.isNaN(Ratios.of(1, Double.NaN)));
  }
}
