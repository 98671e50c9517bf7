package io.kvdb.lua.pools;

import java.util.Objects;

/**
 * Where a queue lives: its pool and, while a migration moves it there, the pool it moves from (null
 * otherwise). Encoded in the catalogue as {@code <pool>} or {@code <pool> <from>}.
 */
public record Placement(String pool, String from) {
  /** The control Redis itself, where every queue without a catalogue entry lives. */
  public static final String DEFAULT_POOL = "default";

  /** The placement of a queue without an entry. */
  public static final Placement DEFAULT = new Placement(DEFAULT_POOL, null);

  public Placement {
    Objects.requireNonNull(pool, "pool");
  }

  /** A queue living in {@code pool} alone. */
  public static Placement in(String pool) {
    return new Placement(pool, null);
  }

  /** Reads a catalogue value. */
  public static Placement parse(String encoded) {
    int space = encoded.indexOf(' ');
    return space < 0
        ? new Placement(encoded, null)
        : new Placement(encoded.substring(0, space), encoded.substring(space + 1));
  }

  /** The catalogue value. */
  public String encode() {
    return from == null ? pool : pool + " " + from;
  }

  /** Whether a migration moves the queue from {@link #from} into {@link #pool}. */
  public boolean migrating() {
    return from != null;
  }
}
