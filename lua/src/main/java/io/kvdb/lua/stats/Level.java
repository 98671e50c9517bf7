package io.kvdb.lua.stats;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** The levels of statistics buckets, aligned to UTC, as lib/stats.lua names and cuts them. */
public enum Level {
  MINUTE("m", 60),
  HOUR("h", 3600),
  DAY("d", 86_400),
  MONTH("M", 0);

  private final String code;
  private final long seconds;

  Level(String code, long seconds) {
    this.code = code;
    this.seconds = seconds;
  }

  String code() {
    return code;
  }

  /** The start (epoch second) of the period holding {@code epochSecond}. */
  public long startOf(long epochSecond) {
    if (this == MONTH) {
      LocalDate day = LocalDate.ofInstant(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
      return day.withDayOfMonth(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    }
    return Math.floorDiv(epochSecond, seconds) * seconds;
  }

  /** The start of the period after the one starting at {@code start}. */
  public long next(long start) {
    if (this == MONTH) {
      LocalDate day = LocalDate.ofInstant(Instant.ofEpochSecond(start), ZoneOffset.UTC);
      return day.plusMonths(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    }
    return start + seconds;
  }
}
