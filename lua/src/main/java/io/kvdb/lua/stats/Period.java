package io.kvdb.lua.stats;

/** One bucket's period: its level and start (epoch second, UTC). */
public record Period(Level level, long start) {
  public long end() {
    return level.next(start);
  }
}
