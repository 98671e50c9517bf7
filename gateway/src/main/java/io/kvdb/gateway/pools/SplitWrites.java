package io.kvdb.gateway.pools;

import io.kvdb.lua.migrations.MigrationRecord;
import io.kvdb.lua.migrations.MigrationRecord.State;
import io.kvdb.lua.migrations.Migrations;
import io.kvdb.lua.queues.MetadataUpdate;
import io.kvdb.lua.queues.QueueInfo;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.ScriptRefusedException;
import java.util.Map;
import java.util.Optional;

/**
 * Metadata updates and deletes of a queue that a migration splits over two pools; a route without
 * {@code from} takes exactly the single pool's path.
 */
public final class SplitWrites {
  private SplitWrites() {}

  /**
   * Updates the metadata in the target, then in the source, whose mark lets through an update that
   * names the target (the source's answer is dropped: the target's is the queue's). A source gone
   * meanwhile (the migration finished) is skipped.
   */
  public static QueueInfo update(
      QueueRouter.Route route, QueueRef queue, Map<String, Object> metadata, MetadataUpdate mode) {
    QueueInfo updated = route.pool().queues().update(queue, metadata, mode);
    if (route.from().isPresent()) {
      try {
        route.from().get().queues().update(queue, metadata, mode, route.pool().name());
      } catch (ScriptRefusedException gone) {
        if (gone.reason() != Reason.NOT_FOUND) {
          throw gone;
        }
      }
    }
    return updated;
  }

  /**
   * Deletes the queue in both pools (the source first, so a step in flight finds it gone or stores
   * into a target that goes next), then ends its migration so the migrator stops for it, then
   * forgets its placement. The placement is read afresh (not from the cache): a delete that missed
   * a split would leave the other pool's half behind. Without pools besides default this is the
   * single pool's delete.
   */
  public static void delete(QueueRouter router, Migrations migrations, QueueRef queue) {
    router.forget(queue);
    QueueRouter.Route route = router.route(queue);
    route.from().ifPresent(from -> from.queues().delete(queue));
    route.pool().queues().delete(queue);
    if (route.from().isPresent()) {
      running(migrations, queue)
          .ifPresent(
              record ->
                  migrations.end(
                      queue,
                      record.state() == State.CANCELLING ? State.CANCELLED : State.DONE,
                      record.source(),
                      record.target()));
    }
    router.deleted(queue);
  }

  /** The queue's running migration, if it has one. */
  public static Optional<MigrationRecord> running(Migrations migrations, QueueRef queue) {
    try {
      MigrationRecord record = migrations.get(queue);
      return record.state().running() ? Optional.of(record) : Optional.empty();
    } catch (ScriptRefusedException none) {
      if (none.reason() != Reason.NOT_FOUND) {
        throw none;
      }
      return Optional.empty();
    }
  }
}
