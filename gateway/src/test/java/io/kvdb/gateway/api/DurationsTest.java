package io.kvdb.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  private static final java.time.Duration MIN = java.time.Duration.ofSeconds(1);
  private static final java.time.Duration MAX = java.time.Duration.ofHours(1);

  private static InvalidArgumentException refused(long seconds, int nanos) {
    Duration value = Duration.newBuilder().setSeconds(seconds).setNanos(nanos).build();
    return assertThrows(
        InvalidArgumentException.class, () -> Durations.within("ttl", true, value, MIN, MAX));
  }

  @Test
  void durationsOfAboutTwoToTheSixtyThreeSecondsAreRefusedNamingTheField() {
    for (long seconds :
        new long[] {Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1}) {
      for (int nanos : new int[] {0, 999_999_999, -999_999_999}) {
        assertEquals("ttl", refused(seconds, nanos).field(), seconds + " s " + nanos + " ns");
      }
    }
  }

  @Test
  void nanosOutsideTheirRangeAreRefused() {
    InvalidArgumentException tooMany = refused(2, Integer.MAX_VALUE);
    assertEquals("ttl", tooMany.field());
    assertTrue(tooMany.getMessage().contains("nanos"), tooMany.getMessage());
    assertEquals("ttl", refused(2, 1_000_000_000).field());
    assertEquals("ttl", refused(2, Integer.MIN_VALUE).field());
  }

  @Test
  void aDurationWhoseSecondsAndNanosDisagreeInSignIsRefused() {
    InvalidArgumentException mixed = refused(2, -1);
    assertTrue(mixed.getMessage().contains("sign"), mixed.getMessage());
    assertEquals("ttl", refused(-2, 1).field());
  }

  @Test
  void aValidDurationConverts() {
    Duration value = Duration.newBuilder().setSeconds(2).setNanos(500_000_000).build();
    assertEquals(java.time.Duration.ofMillis(2500), Durations.within("ttl", true, value, MIN, MAX));
  }
}
