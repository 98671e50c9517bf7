package io.kvdb.gateway.messages;

import io.kvdb.gateway.pools.PoolConnection;
import io.kvdb.gateway.pools.QueueRouter;
import io.kvdb.lua.messages.DeadLetter;
import io.kvdb.lua.queues.QueueRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves dead letters from a queue's outbox to their dead-letter queue, which may live in another
 * cluster slot: first an idempotent move into the dead-letter queue (it skips a letter it accepted
 * before with the same move number), then the outbox forgets them. A crash between the two leaves
 * the letters in the outbox; the next drain moves them again, and the dead-letter queue skips them:
 * never lost, never duplicated. The dead-letter queue may live in another pool: the outbox is read
 * and acknowledged in the source's pool, the move goes to the dead-letter queue's pool (placing the
 * queue there when the move creates it), so a replayed move meets the letters it moved before.
 *
 * <p>A drain never fails the call that triggered it (a claim already made is the caller's): a move
 * that fails leaves its letters in the outbox for the collector's next round, and a letter that can
 * never move expires there as it would in the dead-letter queue.
 */
public final class DeadLetterMover {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterMover.class);
  private static final int BATCH = 100;
  private static final int MAX_BATCHES_PER_DRAIN = 10;

  private final QueueRouter router;
  private final MessageLimits limits;

  public DeadLetterMover(QueueRouter router, MessageLimits limits) {
    this.router = router;
    this.limits = limits;
  }

  /**
   * Moves what waits in the queue's outbox, in bounded batches; false when a move failed (it is
   * logged, and its letters wait for the next drain).
   */
  public boolean drain(QueueRef queue) {
    try {
      for (int batch = 0; batch < MAX_BATCHES_PER_DRAIN; batch++) {
        PoolConnection source = router.route(queue).pool();
        List<DeadLetter> letters = source.messages().outbox(queue, BATCH);
        if (letters.isEmpty()) {
          return true;
        }
        Map<String, List<DeadLetter>> byTarget = new LinkedHashMap<>();
        letters.forEach(
            letter ->
                byTarget
                    .computeIfAbsent(letter.deadLetterQueue(), q -> new ArrayList<>())
                    .add(letter));
        byTarget.forEach(
            (target, moving) -> move(source, queue, new QueueRef(queue.project(), target), moving));
      }
      return true;
    } catch (RuntimeException failure) {
      log.warn(
          "dead letters of {}/{} wait in its outbox: {}",
          queue.project(),
          queue.name(),
          failure.toString());
      return false;
    }
  }

  private void move(
      PoolConnection source, QueueRef queue, QueueRef deadLetterQueue, List<DeadLetter> letters) {
    router.call(
        deadLetterQueue,
        existing -> {
          PoolConnection target = router.placeForCreate(deadLetterQueue, "").pool();
          if (target
              .messages()
              .move(deadLetterQueue, letters, limits.defaultTtl())
              .unregistered()) {
            target.queues().register(deadLetterQueue);
          }
          return target;
        });
    source.messages().outboxAck(queue, letters.stream().map(DeadLetter::id).toList());
  }
}
