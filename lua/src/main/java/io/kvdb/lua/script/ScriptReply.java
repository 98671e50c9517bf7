package io.kvdb.lua.script;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A script's array reply, read field by field in the order the script's header lists them, so that
 * a decoder names each field as it reads it and no field is known by its position.
 */
public final class ScriptReply {
  private final List<?> fields;
  private int next;

  private ScriptReply(List<?> fields) {
    this.fields = fields;
  }

  public static ScriptReply of(Object reply) {
    return new ScriptReply(Replies.list(reply));
  }

  /** Fields not read yet. */
  public int remaining() {
    return fields.size() - next;
  }

  public boolean hasNext() {
    return remaining() > 0;
  }

  public long nextLong() {
    return Replies.asLong(nextField());
  }

  public int nextInt() {
    return (int) nextLong();
  }

  /** A 1 or 0 field: true for 1. */
  public boolean nextFlag() {
    return nextLong() == 1;
  }

  public String nextString() {
    return Replies.asString(nextField());
  }

  public byte[] nextBytes() {
    return Replies.asBytes(nextField());
  }

  /** Epoch milliseconds of the Redis clock. */
  public Instant nextInstant() {
    return Replies.asInstant(nextField());
  }

  /** Epoch milliseconds, or '' for none (null). */
  public Instant nextInstantOrNull() {
    Object field = nextField();
    return Replies.asString(field).isEmpty() ? null : Replies.asInstant(field);
  }

  /** A length of time in milliseconds. */
  public Duration nextMillis() {
    return Duration.ofMillis(nextLong());
  }

  /** Passes over a field the decoder has no use for. */
  public void skip() {
    nextField();
  }

  private Object nextField() {
    return fields.get(next++);
  }
}
