package io.kvdb.lua.migrations;

import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.script.ScriptReply;
import java.time.Instant;

/**
 * A queue's migration as the control Redis keeps it: from which pool to which, its state, when it
 * started, last changed and ended (null while it runs), the messages moved so far (both ways when
 * cancelled) and those left at the last step, free or delayed and under claims, and when posts were
 * sent to the target (null until the switch).
 */
public record MigrationRecord(
    QueueRef queue,
    State state,
    String source,
    String target,
    Instant startedAt,
    Instant updatedAt,
    Instant endedAt,
    long moved,
    long left,
    long claimed,
    Instant switchedAt) {

  /** The states of {@code kvdb.v1.Migration.State}, by the same names. */
  public enum State {
    SWITCHING,
    MOVING,
    DONE,
    CANCELLING,
    CANCELLED;

    public boolean running() {
      return this == SWITCHING || this == MOVING || this == CANCELLING;
    }
  }

  /** Reads the record fields of lib/migrations, in their order. */
  static MigrationRecord read(QueueRef queue, ScriptReply reply) {
    State state = State.valueOf(reply.nextString());
    String source = reply.nextString();
    String target = reply.nextString();
    Instant startedAt = reply.nextInstant();
    Instant updatedAt = reply.nextInstant();
    Instant endedAt = reply.nextInstantOrNull();
    long moved = reply.nextLong();
    long left = reply.nextLong();
    long claimed = reply.nextLong();
    return new MigrationRecord(
        queue,
        state,
        source,
        target,
        startedAt,
        updatedAt,
        endedAt,
        moved,
        left,
        claimed,
        reply.nextInstantOrNull());
  }

  /**
   * What a call that changes a record in one state only did: whether it applied (or had applied
   * before), and the record as it is now, so a migrator whose state is stale learns the new one.
   */
  public record Change(boolean applied, MigrationRecord record) {
    static Change decode(QueueRef queue, Object result) {
      ScriptReply reply = ScriptReply.of(result);
      boolean applied = reply.nextFlag();
      return new Change(applied, read(queue, reply));
    }
  }
}
