package io.kvdb.lua.messages;

import static io.kvdb.lua.Keys.bytes;

import io.kvdb.lua.Keys;
import io.kvdb.lua.codec.MsgpackValues;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.script.Replies;
import io.kvdb.lua.script.Script;
import io.kvdb.lua.script.ScriptRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Messages of a queue over the {@code messages/*} scripts: each call is one round trip. */
public final class Messages {
  private static final byte[] NONE = new byte[0];

  private final ScriptRegistry scripts;

  public Messages(ScriptRegistry scripts) {
    this.scripts = scripts;
  }

  /**
   * What a post did: how many messages it stored, and whether the queue still needs its entry
   * in the project's registry (see {@link io.kvdb.lua.queues.Queues#register}).
   */
  public record PostOutcome(boolean unregistered, int posted) {}

  /** Posts a batch. {@code LIMIT} when the batch is over the queue's size limit. */
  public PostOutcome post(QueueRef queue, String clientId, List<MessageToPost> messages, Duration defaultTtl,
      int defaultMaxPostBytes) {
    List<byte[]> args = header("post", clientId, defaultTtl, defaultMaxPostBytes, queue, messages.size());
    for (MessageToPost message : messages) {
      addMessage(args, message.id(), message.ttl(), message.delay(), message.body(), message.attributes(), NONE);
    }
    return postOutcome(scripts.call(Script.MESSAGES_POST, queueKey(queue), args));
  }

  /**
   * The second half of a dead-letter move: stores the letters in their dead-letter queue,
   * skipping any it accepted before with the same move number (a retried move), so it never
   * duplicates; the queue's post size limit does not apply, and its default delay only when a
   * letter outlives it.
   */
  public PostOutcome move(QueueRef deadLetterQueue, List<DeadLetter> letters, Duration defaultTtl) {
    List<byte[]> args = header("move", "", defaultTtl, Integer.MAX_VALUE, deadLetterQueue, letters.size());
    for (DeadLetter letter : letters) {
      addMessage(args, letter.id(), letter.ttl(), null, letter.body(), letter.attributes(),
          bytes(Long.toString(letter.move())));
    }
    return postOutcome(scripts.call(Script.MESSAGES_POST, queueKey(deadLetterQueue), args));
  }

  private static List<byte[]> header(String mode, String clientId, Duration defaultTtl, int defaultMaxPostBytes,
      QueueRef queue, int count) {
    List<byte[]> args = new ArrayList<>(6 + count * 6);
    args.add(bytes(mode));
    args.add(bytes(clientId));
    args.add(bytes(Long.toString(defaultTtl.toMillis())));
    args.add(bytes(Integer.toString(defaultMaxPostBytes)));
    args.add(bytes(Keys.MESSAGES_READY_CHANNEL));
    args.add(bytes(announcement(queue)));
    return args;
  }

  private static void addMessage(List<byte[]> args, String id, Duration ttl, Duration delay, byte[] body,
      Map<String, Object> attributes, byte[] move) {
    args.add(bytes(id));
    args.add(millisOrNone(ttl));
    args.add(millisOrNone(delay));
    args.add(body);
    args.add(attributes.isEmpty() ? NONE : MsgpackValues.encode(attributes));
    args.add(move);
  }

  private static PostOutcome postOutcome(Object result) {
    List<?> reply = Replies.list(result);
    return new PostOutcome(Replies.asLong(reply.get(0)) == 1, (int) Replies.asLong(reply.get(2)));
  }

  /** A page of messages in FIFO order, filtered as asked before paging. */
  public MessagePage list(QueueRef queue, Long afterRank, int pageSize, boolean echo, String clientId,
      boolean includeClaimed, boolean includeDelayed, int scanBudget) {
    List<byte[]> args = List.of(
        afterRank == null ? NONE : bytes(Long.toString(afterRank)),
        bytes(Integer.toString(pageSize)),
        flag(echo),
        bytes(clientId),
        flag(includeClaimed),
        flag(includeDelayed),
        bytes(Integer.toString(scanBudget)));
    List<?> reply = Replies.list(scripts.call(Script.MESSAGES_LIST, queueKey(queue), args));
    Instant now = Replies.asInstant(reply.get(0));
    String cursor = Replies.asString(reply.get(1));
    return new MessagePage(MessageReplies.decode(reply, 2, now), cursor.isEmpty() ? null : Long.parseLong(cursor));
  }

  /** The live messages among {@code ids}, in the order asked; unknown ids are left out. */
  public List<StoredMessage> get(QueueRef queue, List<String> ids) {
    List<?> reply = Replies.list(scripts.call(Script.MESSAGES_GET, queueKey(queue), allBytes(ids)));
    return MessageReplies.decode(reply, 1, Replies.asInstant(reply.get(0)));
  }

  /** Deletes messages, all or none, by Zaqar's claim rules; returns how many were deleted. */
  public int delete(QueueRef queue, List<String> ids, String claimId) {
    List<byte[]> args = new ArrayList<>();
    args.add(bytes(claimId));
    args.addAll(allBytes(ids));
    return (int) Replies.asLong(scripts.call(Script.MESSAGES_DELETE, queueKey(queue), args));
  }

  /** Removes and returns up to {@code count} of the oldest free messages. */
  public List<StoredMessage> pop(QueueRef queue, int count) {
    List<?> reply = Replies.list(scripts.call(Script.MESSAGES_POP, queueKey(queue), List.of(bytes(Integer.toString(count)))));
    return MessageReplies.decode(reply, 1, Replies.asInstant(reply.get(0)));
  }

  /**
   * What one collector step found: work left over, dead letters waiting to move, and whether
   * the queue exists (a registry entry of a queue that is gone is stale).
   */
  public record CollectOutcome(boolean more, long deadLetters, boolean exists) {}

  public CollectOutcome collect(QueueRef queue, int budget) {
    List<?> reply = Replies.list(scripts.call(Script.MESSAGES_COLLECT, queueKey(queue),
        List.of(bytes(Integer.toString(budget)))));
    return new CollectOutcome(Replies.asLong(reply.get(0)) == 1, Replies.asLong(reply.get(1)),
        Replies.asLong(reply.get(2)) == 1);
  }

  /** Up to {@code count} dead letters waiting in the queue's outbox. */
  @SuppressWarnings("unchecked")
  public List<DeadLetter> outbox(QueueRef queue, int count) {
    List<?> reply = Replies.list(scripts.call(Script.MESSAGES_OUTBOX, queueKey(queue),
        List.of(bytes(Integer.toString(count)))));
    List<DeadLetter> letters = new ArrayList<>();
    for (int i = 0; i + 5 < reply.size(); i += 6) {
      byte[] attributes = Replies.asBytes(reply.get(i + 4));
      letters.add(new DeadLetter(
          Replies.asString(reply.get(i)),
          Replies.asString(reply.get(i + 1)),
          Replies.asBytes(reply.get(i + 3)),
          attributes.length == 0 ? Map.of() : (Map<String, Object>) MsgpackValues.decode(attributes),
          Duration.ofMillis(Replies.asLong(reply.get(i + 2))),
          Replies.asLong(reply.get(i + 5))));
    }
    return letters;
  }

  /** Forgets dead letters that reached their dead-letter queue. */
  public void outboxAck(QueueRef queue, List<String> ids) {
    if (!ids.isEmpty()) {
      scripts.call(Script.MESSAGES_OUTBOX_ACK, queueKey(queue), allBytes(ids));
    }
  }

  /** What a post announces on the ready channel, so that waiting claims of this queue wake. */
  public static String announcement(QueueRef queue) {
    return queue.project() + "/" + queue.name();
  }

  /** The KEYS of a script that works on one queue. */
  public static List<byte[]> queueKey(QueueRef queue) {
    return List.of(bytes(Keys.queue(queue)));
  }

  private static byte[] millisOrNone(Duration duration) {
    return duration == null ? NONE : bytes(Long.toString(duration.toMillis()));
  }

  private static byte[] flag(boolean value) {
    return bytes(value ? "1" : "0");
  }

  static List<byte[]> allBytes(List<String> values) {
    return values.stream().map(io.kvdb.lua.Keys::bytes).toList();
  }
}
