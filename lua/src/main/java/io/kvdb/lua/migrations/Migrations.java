package io.kvdb.lua.migrations;

import static io.kvdb.lua.Keys.bytes;

import io.kvdb.lua.Keys;
import io.kvdb.lua.messages.Messages;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.script.Script;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.script.ScriptReply;
import java.util.List;

/**
 * Migration records and the catalogue entries they switch, in the control Redis (tag {@code
 * {pools}}), over {@code migrations/start|switch|progress|cancel|end|get}: each call is one round
 * trip. Every change of a placement is announced on {@link Keys#PLACEMENT_CHANNEL} with {@code
 * project/queue}.
 */
public final class Migrations {
  private final ScriptRegistry control;

  public Migrations(ScriptRegistry control) {
    this.control = control;
  }

  /**
   * Starts moving the queue from where the catalogue places it to {@code targetPool} (state
   * SWITCHING, not switched: the catalogue entry is unchanged until {@link #switchOver}). {@code
   * IN_USE} when it is migrating already, {@code INVALID} (target_pool) when it lives there, {@code
   * NOT_FOUND} (target_pool) when no such pool is registered.
   */
  public MigrationRecord start(QueueRef queue, String targetPool) {
    List<byte[]> keys =
        List.of(
            bytes(Keys.placements(queue.project())),
            bytes(Keys.migration(queue)),
            bytes(Keys.MIGRATIONS),
            bytes(Keys.pool(targetPool)));
    List<byte[]> args =
        List.of(
            bytes(queue.name()),
            bytes(targetPool),
            bytes(Keys.PLACEMENT_CHANNEL),
            bytes(Messages.announcement(queue)));
    return MigrationRecord.read(
        queue, ScriptReply.of(control.call(Script.MIGRATIONS_START, keys, args)));
  }

  /**
   * Sends the queue's posts to the target (entry {@code <target> <source>}, announced), once the
   * source is marked and the target prepared; not applied when the migration is no longer
   * SWITCHING. The record's {@code switchedAt} tells when.
   */
  public MigrationRecord.Change switchOver(QueueRef queue) {
    List<byte[]> keys =
        List.of(bytes(Keys.migration(queue)), bytes(Keys.placements(queue.project())));
    List<byte[]> args =
        List.of(
            bytes(queue.name()),
            bytes(Keys.PLACEMENT_CHANNEL),
            bytes(Messages.announcement(queue)));
    return MigrationRecord.Change.decode(queue, control.call(Script.MIGRATIONS_SWITCH, keys, args));
  }

  /**
   * Records a step: the state the migrator works in ({@code MOVING} or {@code CANCELLING}), the
   * messages it moved (added) and those left. Not applied when the record is in another state.
   */
  public MigrationRecord.Change progress(
      QueueRef queue, MigrationRecord.State workingIn, long moved, long left, long claimed) {
    List<byte[]> args =
        List.of(
            bytes(workingIn.name()),
            bytes(Long.toString(moved)),
            bytes(Long.toString(left)),
            bytes(Long.toString(claimed)));
    return MigrationRecord.Change.decode(
        queue, control.call(Script.MIGRATIONS_PROGRESS, recordKey(queue), args));
  }

  /**
   * Ends the migration {@code DONE} (the queue lives in the target) or {@code CANCELLED} (back in
   * the source); not applied when the record is in a state that cannot end so (a cancel came
   * first). The record is kept a day.
   */
  public MigrationRecord.Change end(
      QueueRef queue, MigrationRecord.State outcome, String sourcePool, String targetPool) {
    if (outcome != MigrationRecord.State.DONE && outcome != MigrationRecord.State.CANCELLED) {
      throw new IllegalArgumentException("a migration ends DONE or CANCELLED, not " + outcome);
    }
    List<byte[]> keys =
        List.of(
            bytes(Keys.migration(queue)),
            bytes(Keys.placements(queue.project())),
            bytes(Keys.MIGRATIONS),
            bytes(Keys.pool(sourcePool)),
            bytes(Keys.pool(targetPool)));
    List<byte[]> args =
        List.of(
            bytes(outcome.name()),
            bytes(queue.name()),
            bytes(Keys.PLACEMENT_CHANNEL),
            bytes(Messages.announcement(queue)));
    return MigrationRecord.Change.decode(queue, control.call(Script.MIGRATIONS_END, keys, args));
  }

  /**
   * Cancels a running migration (state CANCELLING, the catalogue entry swapped); not applied when
   * it had ended DONE. {@code NOT_FOUND} when the queue has no migration record.
   */
  public MigrationRecord.Change cancel(QueueRef queue) {
    List<byte[]> keys =
        List.of(bytes(Keys.migration(queue)), bytes(Keys.placements(queue.project())));
    List<byte[]> args =
        List.of(
            bytes(queue.name()),
            bytes(Keys.PLACEMENT_CHANNEL),
            bytes(Messages.announcement(queue)));
    return MigrationRecord.Change.decode(queue, control.call(Script.MIGRATIONS_CANCEL, keys, args));
  }

  /** The running migration, else the last one of the day; {@code NOT_FOUND} when none. */
  public MigrationRecord get(QueueRef queue) {
    return MigrationRecord.read(
        queue, ScriptReply.of(control.call(Script.MIGRATIONS_GET, recordKey(queue), List.of())));
  }

  private static List<byte[]> recordKey(QueueRef queue) {
    return List.of(bytes(Keys.migration(queue)));
  }
}
