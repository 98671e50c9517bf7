package io.kvdb.gateway.message;

import io.kvdb.gateway.queue.MessageLimits;
import io.kvdb.lua.message.DeadLetter;
import io.kvdb.lua.message.Messages;
import io.kvdb.lua.message.NewMessage;
import io.kvdb.lua.queue.QueueRef;
import io.kvdb.lua.queue.Queues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves dead letters from a queue's outbox to their dead-letter queue, which may live in another
 * cluster slot: first an idempotent post into the dead-letter queue (it skips ids it accepted
 * before), then the outbox forgets them. A crash between the two leaves the letters in the
 * outbox; the next drain posts them again, and the dead-letter queue skips them: never lost,
 * never duplicated.
 */
public final class DeadLetterMover {
  private static final int BATCH = 100;
  private static final int MAX_BATCHES_PER_DRAIN = 10;

  private final Messages messages;
  private final Queues queues;
  private final MessageLimits limits;

  public DeadLetterMover(Messages messages, Queues queues, MessageLimits limits) {
    this.messages = messages;
    this.queues = queues;
    this.limits = limits;
  }

  /** Moves what waits in the queue's outbox, in bounded batches. */
  public void drain(QueueRef queue) {
    for (int batch = 0; batch < MAX_BATCHES_PER_DRAIN; batch++) {
      List<DeadLetter> letters = messages.outbox(queue, BATCH);
      if (letters.isEmpty()) {
        return;
      }
      Map<String, List<DeadLetter>> byTarget = new LinkedHashMap<>();
      letters.forEach(letter -> byTarget.computeIfAbsent(letter.deadLetterQueue(), q -> new ArrayList<>()).add(letter));
      byTarget.forEach((target, moving) -> {
        QueueRef deadLetterQueue = new QueueRef(queue.project(), target);
        List<NewMessage> posts = moving.stream()
            .map(letter -> new NewMessage(letter.id(), letter.body(), letter.attributes(), letter.ttl(), null))
            .toList();
        Messages.PostOutcome outcome = messages.post(
            deadLetterQueue, "", posts, limits.defaultTtl(), Integer.MAX_VALUE, true);
        if (outcome.queueCreated()) {
          queues.register(deadLetterQueue, true);
        }
        messages.outboxAck(queue, moving.stream().map(DeadLetter::id).toList());
      });
    }
  }
}
