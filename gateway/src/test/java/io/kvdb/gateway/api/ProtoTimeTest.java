package io.kvdb.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProtoTimeTest {
  private static InvalidArgumentException refused(long seconds, int nanos) {
    Timestamp value = Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos).build();
    return assertThrows(InvalidArgumentException.class, () -> ProtoTime.instant("start", value));
  }

  @Test
  void timestampsOfAboutTwoToTheSixtyThreeSecondsAreRefusedNamingTheField() {
    for (long seconds :
        new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 253_402_300_800L, -62_135_596_801L}) {
      assertEquals("start", refused(seconds, 0).field(), Long.toString(seconds));
    }
  }

  @Test
  void nanosOutsideTheirRangeAreRefused() {
    assertEquals("start", refused(0, Integer.MAX_VALUE).field());
    assertEquals("start", refused(0, 1_000_000_000).field());
    assertEquals("start", refused(0, -1).field());
  }

  @Test
  void theWholeRangeOfTheWellKnownTypeConverts() {
    assertEquals(
        Instant.parse("0001-01-01T00:00:00Z"),
        ProtoTime.instant("start", Timestamp.newBuilder().setSeconds(-62_135_596_800L).build()));
    assertEquals(
        Instant.parse("9999-12-31T23:59:59.999999999Z"),
        ProtoTime.instant(
            "start",
            Timestamp.newBuilder().setSeconds(253_402_300_799L).setNanos(999_999_999).build()));
  }
}
