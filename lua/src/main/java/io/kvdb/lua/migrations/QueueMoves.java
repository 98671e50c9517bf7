package io.kvdb.lua.migrations;

import static io.kvdb.lua.Keys.bytes;

import io.kvdb.lua.Keys;
import io.kvdb.lua.messages.Messages;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.script.Durability;
import io.kvdb.lua.script.Replies;
import io.kvdb.lua.script.Script;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.script.ScriptReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The data steps of moving a queue, in one pool (the source's or the target's registry), over
 * {@code migrations/mark_source|prepare_target|take|put|ack|finish}: each call is one round trip on
 * the queue's slot. One step of the move is {@link #take} in the source, {@link #put} in the
 * target, {@link #ack} in the source; a crash anywhere replays the step without loss or duplicate.
 * Writes of a replicated queue reach a replica before they are answered, so the source never
 * forgets a batch a failover of the target could lose.
 *
 * <p>The order a migrator keeps, with {@link Migrations} in the control Redis:
 *
 * <ol>
 *   <li>{@code start}; {@link #markSource} in the source; {@link #prepareTarget} in the target with
 *       a trip of this migration (its start time), registering the queue if it says so; then wait
 *       the catalogue cache time.
 *   <li>Steps: {@code progress(MOVING)} (not applied: the migration was cancelled or ended, stop
 *       moving forward), {@link #take}, {@link #put}, {@link #ack}, until nothing is left and no
 *       claim holds a message; then {@link #finish} in the source (not done: more steps) and {@code
 *       end(DONE)}.
 *   <li>Cancelled: finish the step in flight ({@link #take} with budget 0 replays it, then {@link
 *       #put}, {@link #ack}); {@link #markSource} in the target naming the source pool; {@link
 *       #prepareTarget} in the source with a trip of its own (a target that never got the queue:
 *       with what {@link #markSource} of the source returns); the same steps back, {@code
 *       progress(CANCELLING)}, {@link #finish} in the target naming the source pool, {@code
 *       end(CANCELLED)}.
 * </ol>
 *
 * A marked pool answers {@code MOVED} to posts, creates and metadata updates, and to a delete of a
 * message in transit (retry once the step is done).
 */
public final class QueueMoves {
  /** The most messages one step moves (MAX_TRANSIT in lib/moving). */
  public static final int MAX_BATCH = 1000;

  private final ScriptRegistry pool;
  private final Durability durability;

  public QueueMoves(ScriptRegistry pool, Durability durability) {
    this.pool = pool;
    this.durability = durability;
  }

  /**
   * Marks the queue moving out of this pool to {@code targetPool}: posts, creates and metadata
   * updates here answer {@code MOVED} from now on. {@code NOT_FOUND} when the queue is not here.
   */
  public MovingQueue markSource(QueueRef queue, String targetPool) {
    return markSource(queue, targetPool, "");
  }

  /**
   * As {@link #markSource(QueueRef, String)}, but {@code IN_USE} when the queue here was prepared
   * by the trip {@code cancelledBy} (the migration's cancel): a stale migrator's late mark must not
   * shut posts out of a queue that stays here.
   */
  public MovingQueue markSource(QueueRef queue, String targetPool, String cancelledBy) {
    return MovingQueue.decode(
        pool.callOnQueue(
            Script.MIGRATIONS_MARK_SOURCE,
            Messages.queueKey(queue),
            List.of(bytes(targetPool), bytes(cancelledBy)),
            durability));
  }

  /** The target after {@link #prepareTarget}: registry entry to confirm, rank counter. */
  public record Prepared(boolean unregistered, long rankCounter) {}

  /**
   * Creates or takes over the queue here for {@code trip} (one direction of one migration; at most
   * 64 bytes), with the source's metadata, creation time and at least its rank counter, and takes
   * the mark of a queue moving out off it (a cancel prepares the source again).
   */
  public Prepared prepareTarget(QueueRef queue, String trip, MovingQueue source) {
    List<byte[]> args = new ArrayList<>(3 + source.metadata().size() * 2);
    args.add(bytes(trip));
    args.add(bytes(Long.toString(source.createdAt().toEpochMilli())));
    args.add(bytes(Long.toString(source.rankCounter())));
    source
        .metadata()
        .forEach(
            (key, value) -> {
              args.add(bytes(key));
              args.add(value);
            });
    ScriptReply reply =
        ScriptReply.of(
            pool.callOnQueue(
                Script.MIGRATIONS_PREPARE_TARGET, Messages.queueKey(queue), args, durability));
    boolean unregistered = reply.nextFlag();
    return new Prepared(unregistered, reply.nextLong());
  }

  /**
   * Moves up to {@code budget} (at most {@link #MAX_BATCH}) unclaimed messages, about {@code
   * maxBytes} of bodies and attributes, into the source's transit, or returns the transit an
   * earlier step left; {@code NOT_FOUND} when the queue here is not moving to {@code targetPool}.
   */
  public TransitBatch take(QueueRef queue, String targetPool, int budget, int maxBytes) {
    List<byte[]> args =
        List.of(
            bytes(targetPool),
            bytes(Integer.toString(Math.max(0, Math.min(budget, MAX_BATCH)))),
            bytes(Integer.toString(Math.max(0, maxBytes))));
    return TransitBatch.decode(
        pool.callOnQueue(Script.MIGRATIONS_TAKE, Messages.queueKey(queue), args, durability));
  }

  /**
   * Stores a batch in the target; a message this {@code trip} stored within {@code remember} is
   * skipped, so a replayed step adds nothing. Returns how many were stored; {@code NOT_FOUND} when
   * the queue is not here.
   */
  public int put(QueueRef queue, String trip, Duration remember, TransitBatch batch) {
    List<byte[]> args = new ArrayList<>(4 + batch.messages().size() * TransitMessage.FIELDS);
    args.add(bytes(trip));
    args.add(bytes(Long.toString(remember.toMillis())));
    args.add(bytes(Keys.MESSAGES_READY_CHANNEL));
    args.add(bytes(Messages.announcement(queue)));
    batch.messages().forEach(message -> message.addTo(args));
    ScriptReply reply =
        ScriptReply.of(
            pool.callOnQueue(Script.MIGRATIONS_PUT, Messages.queueKey(queue), args, durability));
    reply.skip(); // now_ms
    return reply.nextInt();
  }

  /** Forgets the messages of the source's transit the target stored; returns how many. */
  public int ack(QueueRef queue, List<String> ids) {
    if (ids.isEmpty()) {
      return 0;
    }
    return (int)
        Replies.asLong(
            pool.callOnQueue(
                Script.MIGRATIONS_ACK,
                Messages.queueKey(queue),
                ids.stream().map(Keys::bytes).toList(),
                durability));
  }

  /** What migrations/finish found: done, or what the source still holds. */
  public record Finish(boolean done, long left, long claimed, long letters, long transit) {}

  /**
   * Deletes what is left of the queue in the source (leaving a short-lived tombstone that still
   * answers {@code MOVED}) once it holds no message, transit or dead letter; else reports them.
   */
  public Finish finish(QueueRef queue, String targetPool) {
    ScriptReply reply =
        ScriptReply.of(
            pool.callOnQueue(
                Script.MIGRATIONS_FINISH,
                Messages.queueKey(queue),
                List.of(bytes(targetPool)),
                durability));
    boolean done = reply.nextFlag();
    long left = reply.nextLong();
    long claimed = reply.nextLong();
    long letters = reply.nextLong();
    return new Finish(done, left, claimed, letters, reply.nextLong());
  }
}
