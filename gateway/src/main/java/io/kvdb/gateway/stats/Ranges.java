package io.kvdb.gateway.stats;

import com.google.protobuf.Timestamp;
import io.kvdb.gateway.api.InvalidArgumentException;
import io.kvdb.gateway.api.ProtoTime;
import io.kvdb.lua.stats.Level;
import io.kvdb.lua.stats.Period;
import io.kvdb.proto.v1.Resolution;
import java.util.ArrayList;
import java.util.List;

/** Turns a time range into the periods to read: a series at one resolution, or a total. */
final class Ranges {
  static final int MAX_POINTS = 1500;

  /** AUTO picks the coarsest level that still gives this many points. */
  static final int AUTO_MIN_POINTS = 12;

  private static final List<Level> COARSEST_FIRST =
      List.of(Level.MONTH, Level.DAY, Level.HOUR, Level.MINUTE);

  private Ranges() {}

  /** [start, end) in epoch seconds, both required, valid and in order. */
  static long[] range(boolean hasStart, Timestamp start, boolean hasEnd, Timestamp end) {
    if (!hasStart) {
      throw new InvalidArgumentException("start", "is required");
    }
    if (!hasEnd) {
      throw new InvalidArgumentException("end", "is required");
    }
    if (!ProtoTime.instant("end", end).isAfter(ProtoTime.instant("start", start))) {
      throw new InvalidArgumentException("end", "must be after start");
    }
    return new long[] {start.getSeconds(), end.getSeconds() + (end.getNanos() > 0 ? 1 : 0)};
  }

  static Level level(Resolution resolution, long start, long end) {
    return switch (resolution) {
      case MINUTE -> Level.MINUTE;
      case HOUR -> Level.HOUR;
      case DAY -> Level.DAY;
      case MONTH -> Level.MONTH;
      case RESOLUTION_AUTO ->
          COARSEST_FIRST.stream()
              .filter(level -> periods(level, start, end).size() >= AUTO_MIN_POINTS)
              .findFirst()
              .orElse(Level.MINUTE);
      case UNRECOGNIZED ->
          throw new InvalidArgumentException("resolution", "is not a known resolution");
    };
  }

  /** Every period of the level that overlaps [start, end), up to MAX_POINTS + 1. */
  static List<Period> periods(Level level, long start, long end) {
    List<Period> periods = new ArrayList<>();
    for (long t = level.startOf(start);
        t < end && periods.size() <= MAX_POINTS;
        t = level.next(t)) {
      periods.add(new Period(level, t));
    }
    return periods;
  }

  /**
   * The fewest aligned periods that cover [start, end): whole months, days and hours where they
   * fit, minutes at the edges (a range that starts or ends inside a minute takes that minute).
   * Stops after MAX_POINTS + 1, so a caller sees a range too long without building all of it.
   */
  static List<Period> cover(long start, long end) {
    List<Period> cover = new ArrayList<>();
    long t = Level.MINUTE.startOf(start);
    while (t < end && cover.size() <= MAX_POINTS) {
      Level chosen = Level.MINUTE;
      for (Level level : COARSEST_FIRST) {
        if (level.startOf(t) == t && level.next(t) <= end) {
          chosen = level;
          break;
        }
      }
      cover.add(new Period(chosen, t));
      t = chosen.next(t);
    }
    return cover;
  }
}
