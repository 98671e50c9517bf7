package io.kvdb.gateway.pools;

import io.kvdb.gateway.api.ErrorMapper;
import io.kvdb.lua.Keys;
import io.kvdb.lua.migrations.MigrationRecord;
import io.kvdb.lua.migrations.MigrationRecord.State;
import io.kvdb.lua.migrations.Migrations;
import io.kvdb.lua.migrations.MovingQueue;
import io.kvdb.lua.migrations.QueueMoves;
import io.kvdb.lua.migrations.TransitBatch;
import io.kvdb.lua.pools.Pools;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.ScriptRefusedException;
import io.kvdb.proto.v1.ErrorReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Moves live queues between pools, in the order {@link QueueMoves} gives: the rpcs start and cancel
 * a migration and do its first steps at once (record, mark the source, prepare the target, switch
 * the catalogue); every round of the {@code queue-migrator} job ({@link #run}) redoes whatever step
 * a crashed gateway left and moves messages in bounded steps, each migration within a time budget,
 * so one big queue does not starve the others. Every step is idempotent, so a gateway killed at any
 * point leaves a migration the next round finishes.
 */
public final class Migrator implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Migrator.class);

  /** Past the catalogue cache time, so that a gateway's refresh in flight lands before a move. */
  private static final Duration SWITCH_MARGIN = Duration.ofMillis(250);

  /** How long the target remembers the ids a trip stored (a replayed step skips them). */
  private static final Duration REMEMBER = Duration.ofHours(1);

  private static final int MAX_BYTES = 4 << 20;
  private static final int MAX_RUNNING = 1000;

  private final UnifiedJedis control;
  private final Migrations migrations;
  private final Pools registered;
  private final PoolConnections pools;
  private final QueueRouter router;
  private final Duration cacheTime;
  private final Duration idempotencyWindow;
  private final Duration budget;
  private final int batch;

  /** Cancels whose first steps this gateway did: a gateway taking the job over redoes them once. */
  private final Set<QueueRef> preparedBack = ConcurrentHashMap.newKeySet();

  /** One migration's steps at a time on this gateway (an rpc and the job may meet). */
  private final Map<QueueRef, Object> busy = new ConcurrentHashMap<>();

  /**
   * @param idempotencyWindow how long a post's idempotency key is remembered: a migration ends no
   *     sooner after posts last switched pools, so a keyed post retried meanwhile finds the record
   *     of the pool it was made in
   * @param budget how long one round works on one migration
   * @param batch the most messages one step moves
   */
  public Migrator(
      UnifiedJedis control,
      Migrations migrations,
      Pools registered,
      PoolConnections pools,
      QueueRouter router,
      Duration cacheTime,
      Duration idempotencyWindow,
      Duration budget,
      int batch) {
    this.control = control;
    this.migrations = migrations;
    this.registered = registered;
    this.pools = pools;
    this.router = router;
    this.cacheTime = cacheTime;
    this.idempotencyWindow = idempotencyWindow;
    this.budget = budget;
    this.batch = Math.min(batch, QueueMoves.MAX_BATCH);
  }

  /**
   * Starts moving the queue to {@code targetPool} and switches its posts there before returning.
   */
  public MigrationRecord start(QueueRef queue, String targetPool) {
    try {
      registered.get(targetPool); // before anything is written
    } catch (ScriptRefusedException unknown) {
      if (unknown.reason() != Reason.NOT_FOUND) {
        throw unknown;
      }
      throw new ScriptRefusedException(
          Reason.NOT_FOUND, "target_pool: no pool is named " + targetPool);
    }
    try {
      pools.get(targetPool);
    } catch (PoolUnavailableException unreachable) {
      throw ErrorMapper.failedPrecondition(
          ErrorReason.UNAVAILABLE,
          "target_pool",
          "target_pool: pool " + targetPool + " is not reached: " + unreachable.getMessage());
    }
    QueueRouter.Route route = router.route(queue);
    if (route.from().isEmpty() && !route.pool().queues().exists(queue)) {
      throw new ScriptRefusedException(
          Reason.NOT_FOUND, "queue " + queue.name() + " does not exist");
    }
    MigrationRecord record = migrations.start(queue, targetPool);
    return advance(record, Instant.now().plus(budget));
  }

  /** Cancels the queue's running migration and sends its posts back to the source at once. */
  public MigrationRecord cancel(QueueRef queue) {
    MigrationRecord.Change change = migrations.cancel(queue);
    if (!change.applied()) {
      throw ErrorMapper.failedPrecondition(
          ErrorReason.ERROR_REASON_UNSPECIFIED,
          "queue",
          "queue: the migration ended "
              + change.record().state()
              + ", there is nothing to cancel; migrate the queue back to "
              + change.record().source()
              + " instead");
    }
    router.forget(queue);
    return advance(change.record(), Instant.now().plus(budget));
  }

  /** One round of the job: every running migration a step further, each within the budget. */
  @Override
  public void run() {
    List<String> running = new ArrayList<>(control.zrange(Keys.MIGRATIONS, 0, MAX_RUNNING - 1));
    Collections.shuffle(running);
    for (String member : running) {
      int slash = member.indexOf('/');
      if (slash < 0) {
        continue;
      }
      QueueRef queue = new QueueRef(member.substring(0, slash), member.substring(slash + 1));
      try {
        advance(migrations.get(queue), Instant.now().plus(budget));
      } catch (RuntimeException failure) {
        log.warn("migration of {} failed this round: {}", member, failure.toString());
      }
    }
  }

  /**
   * Takes the migration as far as the deadline allows; returns the record as it left it. Before
   * each data step the record's state is checked ({@code progress} applies only in the state the
   * step belongs to), so a stale migrator never moves a cancelled migration forward.
   */
  MigrationRecord advance(MigrationRecord record, Instant deadline) {
    synchronized (busy.computeIfAbsent(record.queue(), queue -> new Object())) {
      try {
        return steps(record, deadline);
      } finally {
        if (!migrations.get(record.queue()).state().running()) {
          busy.remove(record.queue());
          preparedBack.remove(record.queue());
        }
      }
    }
  }

  private MigrationRecord steps(MigrationRecord record, Instant deadline) {
    QueueRef queue = record.queue();
    while (true) {
      switch (record.state()) {
        case SWITCHING -> {
          if (record.switchedAt() == null) {
            record = switchOver(record);
            if (record.state() == State.SWITCHING && record.switchedAt() == null) {
              return record; // the queue went meanwhile: ended by switchOver
            }
          } else if (Instant.now()
              .isBefore(record.switchedAt().plus(cacheTime).plus(SWITCH_MARGIN))) {
            return record;
          } else {
            record =
                migrations
                    .progress(queue, State.MOVING, 0, record.left(), record.claimed())
                    .record();
          }
        }
        case MOVING -> {
          Step step =
              step(
                  record,
                  State.MOVING,
                  record.source(),
                  record.target(),
                  forward(record),
                  deadline);
          record = step.record;
          if (!step.more) {
            return record;
          }
        }
        case CANCELLING -> {
          if (!preparedBack.contains(queue)) {
            prepareBack(record);
            preparedBack.add(queue);
          }
          Step step =
              step(
                  record,
                  State.CANCELLING,
                  record.target(),
                  record.source(),
                  back(record),
                  deadline);
          record = step.record;
          if (!step.more) {
            return record;
          }
        }
        case DONE, CANCELLED -> {
          return record;
        }
      }
    }
  }

  /** What a run of steps left: the record (null once ended), and whether to go on this round. */
  private record Step(MigrationRecord record, boolean more) {}

  /**
   * Moves messages {@code from} one pool {@code to} the other, step by step, until the deadline;
   * ends the migration when {@code from} holds nothing. {@code more} when the state changed under
   * it (the caller goes on in the new one).
   */
  private Step step(
      MigrationRecord record,
      State workingIn,
      String fromPool,
      String toPool,
      String trip,
      Instant deadline) {
    QueueRef queue = record.queue();
    QueueMoves from = pools.get(fromPool).moves();
    QueueMoves to = pools.get(toPool).moves();
    long moved = 0;
    do {
      TransitBatch taken;
      try {
        taken = from.take(queue, toPool, batch, MAX_BYTES);
      } catch (ScriptRefusedException notMoving) {
        if (notMoving.reason() != Reason.NOT_FOUND) {
          throw notMoving;
        }
        taken = null; // the queue is gone from there (deleted, or never got it): finish says
      }
      if (taken == null || taken.messages().isEmpty()) {
        if (taken != null && taken.left() + taken.claimed() + taken.letters() > 0) {
          // Claimed messages or dead letters wait; free ones appear with the next step.
          MigrationRecord.Change change =
              migrations.progress(queue, workingIn, moved, taken.left(), taken.claimed());
          return new Step(change.record(), !change.applied());
        }
        if (keysStillRemembered(record)) {
          MigrationRecord.Change change = migrations.progress(queue, workingIn, moved, 0, 0);
          return new Step(change.record(), !change.applied());
        }
        QueueMoves.Finish finish = from.finish(queue, toPool);
        if (!finish.done()) {
          MigrationRecord.Change change =
              migrations.progress(queue, workingIn, moved, finish.left(), finish.claimed());
          return new Step(change.record(), !change.applied());
        }
        migrations.progress(queue, workingIn, moved, 0, 0);
        MigrationRecord.Change ended =
            migrations.end(
                queue,
                workingIn == State.MOVING ? State.DONE : State.CANCELLED,
                record.source(),
                record.target());
        router.forget(queue);
        return new Step(ended.record(), !ended.applied());
      }
      to.put(queue, trip, REMEMBER, taken);
      from.ack(queue, taken.ids());
      moved += taken.messages().size();
      MigrationRecord.Change change =
          migrations.progress(queue, workingIn, moved, taken.left(), taken.claimed());
      moved = 0;
      if (!change.applied()) {
        return new Step(change.record(), true);
      }
      record = change.record();
    } while (Instant.now().isBefore(deadline));
    return new Step(record, false);
  }

  /**
   * Whether a post made to the pool being emptied, before posts last switched pools (the switch, or
   * a cancel), may still be retried with its key: that pool's records answer it until then.
   */
  private boolean keysStillRemembered(MigrationRecord record) {
    return record.switchedAt() != null
        && Instant.now().isBefore(record.switchedAt().plus(idempotencyWindow));
  }

  /** Marks the source, prepares the target, then sends posts to the target. */
  private MigrationRecord switchOver(MigrationRecord record) {
    QueueRef queue = record.queue();
    PoolConnection source = pools.get(record.source());
    PoolConnection target = pools.get(record.target());
    MovingQueue moving;
    try {
      moving = source.moves().markSource(queue, record.target(), back(record));
    } catch (ScriptRefusedException gone) {
      if (gone.reason() == Reason.IN_USE) {
        return migrations.get(queue); // cancelled while this gateway was marking: theirs now
      }
      if (gone.reason() != Reason.NOT_FOUND) {
        throw gone;
      }
      // The queue was deleted before it was marked: the migration ends where it started.
      migrations.cancel(queue);
      return migrations.end(queue, State.CANCELLED, record.source(), record.target()).record();
    }
    QueueMoves.Prepared prepared = target.moves().prepareTarget(queue, forward(record), moving);
    if (prepared.unregistered()) {
      target.queues().register(queue);
    }
    MigrationRecord switched = migrations.switchOver(queue).record();
    router.forget(queue);
    return switched;
  }

  /**
   * The first steps of a cancel: finishes the forward step in flight, marks the target moving out
   * to the source and prepares the source again with the target's metadata and rank counter (or,
   * when the target never got the queue, with the source's own), which takes the source's mark off.
   */
  private void prepareBack(MigrationRecord record) {
    QueueRef queue = record.queue();
    PoolConnection source = pools.get(record.source());
    PoolConnection target = pools.get(record.target());
    try {
      TransitBatch inFlight = source.moves().take(queue, record.target(), 0, MAX_BYTES);
      if (!inFlight.messages().isEmpty()) {
        target.moves().put(queue, forward(record), REMEMBER, inFlight);
        source.moves().ack(queue, inFlight.ids());
      }
    } catch (ScriptRefusedException notMarked) {
      if (notMarked.reason() != Reason.NOT_FOUND) {
        throw notMarked;
      }
    }
    MovingQueue moving;
    try {
      moving = target.moves().markSource(queue, record.source());
    } catch (ScriptRefusedException neverArrived) {
      if (neverArrived.reason() != Reason.NOT_FOUND) {
        throw neverArrived;
      }
      try {
        moving = source.moves().markSource(queue, record.target());
      } catch (ScriptRefusedException gone) {
        if (gone.reason() != Reason.NOT_FOUND) {
          throw gone;
        }
        return; // in neither pool: the steps find nothing and end it
      }
    }
    QueueMoves.Prepared prepared = source.moves().prepareTarget(queue, back(record), moving);
    if (prepared.unregistered()) {
      source.queues().register(queue);
    }
    router.forget(queue);
  }

  /** The trip of the forward direction: one per migration (its start time). */
  private static String forward(MigrationRecord record) {
    return "to:" + record.startedAt().toEpochMilli();
  }

  private static String back(MigrationRecord record) {
    return "back:" + record.startedAt().toEpochMilli();
  }
}
