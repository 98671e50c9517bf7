package io.kvdb.lua.stats;

import java.time.Duration;

/** How long each level's buckets are kept after their period ends; null for months: forever. */
public record Retention(Duration minutes, Duration hours, Duration days) {
  public static final Retention DEFAULTS =
      new Retention(Duration.ofHours(48), Duration.ofDays(60), Duration.ofDays(3 * 365));

  /** The retention of the level a bucket of {@code level} rolls into (0: forever). */
  long parentMillis(Level level) {
    return switch (level) {
      case MINUTE -> hours.toMillis();
      case HOUR -> days.toMillis();
      case DAY, MONTH -> 0;
    };
  }
}
