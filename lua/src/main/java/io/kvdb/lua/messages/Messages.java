package io.kvdb.lua.messages;

import static io.kvdb.lua.Keys.bytes;

import io.kvdb.lua.Keys;
import io.kvdb.lua.codec.MsgpackValues;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.script.Durability;
import io.kvdb.lua.script.Replies;
import io.kvdb.lua.script.Script;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.script.ScriptReply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Messages of a queue over the {@code messages/*} scripts: each call is one round trip. */
public final class Messages {
  private static final byte[] NONE = new byte[0];

  private final ScriptRegistry scripts;
  private final Durability durability;

  public Messages(ScriptRegistry scripts) {
    this(scripts, Durability.IN_MEMORY);
  }

  public Messages(ScriptRegistry scripts, Durability durability) {
    this.scripts = scripts;
    this.durability = durability;
  }

  /**
   * What a post did: how many messages it stored, the ids the caller is told (the batch's, or on a
   * repeat of an idempotency key those its first post recorded), and whether the queue still needs
   * its entry in the project's registry (see {@link io.kvdb.lua.queues.Queues#register}).
   */
  public record PostOutcome(boolean unregistered, int posted, List<String> ids) {
    /** Decodes the reply of messages/post; {@code sent} are the ids the call passed. */
    static PostOutcome decode(Object result, List<String> sent) {
      ScriptReply reply = ScriptReply.of(result);
      boolean unregistered = reply.nextFlag();
      reply.skip(); // now_ms
      int posted = reply.nextInt();
      if (!reply.nextFlag()) {
        return new PostOutcome(unregistered, posted, sent);
      }
      List<String> recorded = new ArrayList<>(reply.remaining());
      while (reply.hasNext()) {
        recorded.add(reply.nextString());
      }
      return new PostOutcome(unregistered, posted, List.copyOf(recorded));
    }
  }

  /**
   * An idempotency key of a post and how long the queue remembers it. The key must already be valid
   * (1 to 128 of {@code [A-Za-z0-9_.:-]}): it becomes part of a key of the queue's slot.
   */
  public record IdempotencyKey(String key, Duration window) {}

  /** Posts a batch. {@code LIMIT} when the batch is over the queue's size limit. */
  public PostOutcome post(
      QueueRef queue,
      String clientId,
      List<MessageToPost> messages,
      Duration defaultTtl,
      int defaultMaxPostBytes) {
    return post(queue, clientId, messages, defaultTtl, defaultMaxPostBytes, null);
  }

  /**
   * Posts a batch once per idempotency key (when {@code idempotency} is not null): a key the queue
   * recorded within its window stores nothing and answers the ids of the post that recorded it.
   */
  public PostOutcome post(
      QueueRef queue,
      String clientId,
      List<MessageToPost> messages,
      Duration defaultTtl,
      int defaultMaxPostBytes,
      IdempotencyKey idempotency) {
    return post(queue, clientId, messages, defaultTtl, defaultMaxPostBytes, idempotency, true);
  }

  /**
   * Posts a batch as above; unless {@code mayCreateQueue}, only to a queue that exists ({@code
   * NOT_FOUND} and nothing stored otherwise), for a project whose queue quota must admit a new
   * queue first.
   */
  public PostOutcome post(
      QueueRef queue,
      String clientId,
      List<MessageToPost> messages,
      Duration defaultTtl,
      int defaultMaxPostBytes,
      IdempotencyKey idempotency,
      boolean mayCreateQueue) {
    List<byte[]> args =
        header(
            mayCreateQueue ? "post" : "append",
            clientId,
            defaultTtl,
            defaultMaxPostBytes,
            queue,
            idempotency == null ? null : idempotency.window(),
            messages.size());
    for (MessageToPost message : messages) {
      addMessage(
          args,
          message.id(),
          message.ttl(),
          message.delay(),
          message.body(),
          message.attributes(),
          NONE);
    }
    List<byte[]> keys =
        idempotency == null
            ? queueKey(queue)
            : List.of(
                bytes(Keys.queue(queue)), bytes(Keys.idempotencyRecord(queue, idempotency.key())));
    List<String> ids = messages.stream().map(MessageToPost::id).toList();
    return stored(keys, args, ids);
  }

  /**
   * The second half of a dead-letter move: stores the letters in their dead-letter queue, skipping
   * any it accepted before with the same move number (a retried move), so it never duplicates; the
   * queue's post size limit does not apply, and its default delay only when a letter outlives it.
   */
  public PostOutcome move(QueueRef deadLetterQueue, List<DeadLetter> letters, Duration defaultTtl) {
    List<byte[]> args =
        header("move", "", defaultTtl, Integer.MAX_VALUE, deadLetterQueue, null, letters.size());
    for (DeadLetter letter : letters) {
      addMessage(
          args,
          letter.id(),
          letter.ttl(),
          null,
          letter.body(),
          letter.attributes(),
          bytes(Long.toString(letter.move())));
    }
    return stored(queueKey(deadLetterQueue), args, letters.stream().map(DeadLetter::id).toList());
  }

  /**
   * Runs messages/post; the caller is told only once a replica has the messages when their queue is
   * replicated (its {@code _durability}, or the gateway's default).
   */
  private PostOutcome stored(List<byte[]> keys, List<byte[]> args, List<String> ids) {
    return PostOutcome.decode(
        scripts.callOnQueue(Script.MESSAGES_POST, keys, args, durability), ids);
  }

  private static List<byte[]> header(
      String mode,
      String clientId,
      Duration defaultTtl,
      int defaultMaxPostBytes,
      QueueRef queue,
      Duration idempotencyWindow,
      int count) {
    List<byte[]> args = new ArrayList<>(7 + count * 6);
    args.add(bytes(mode));
    args.add(bytes(clientId));
    args.add(bytes(Long.toString(defaultTtl.toMillis())));
    args.add(bytes(Integer.toString(defaultMaxPostBytes)));
    args.add(bytes(Keys.MESSAGES_READY_CHANNEL));
    args.add(bytes(announcement(queue)));
    args.add(millisOrNone(idempotencyWindow));
    return args;
  }

  private static void addMessage(
      List<byte[]> args,
      String id,
      Duration ttl,
      Duration delay,
      byte[] body,
      Map<String, Object> attributes,
      byte[] move) {
    args.add(bytes(id));
    args.add(millisOrNone(ttl));
    args.add(millisOrNone(delay));
    args.add(body);
    args.add(attributes.isEmpty() ? NONE : MsgpackValues.encode(attributes));
    args.add(move);
  }

  /** A page of messages in FIFO order, filtered as asked before paging. */
  public MessagePage list(
      QueueRef queue,
      Long afterRank,
      int pageSize,
      boolean echo,
      String clientId,
      boolean includeClaimed,
      boolean includeDelayed,
      int scanBudget) {
    List<byte[]> args =
        List.of(
            afterRank == null ? NONE : bytes(Long.toString(afterRank)),
            bytes(Integer.toString(pageSize)),
            flag(echo),
            bytes(clientId),
            flag(includeClaimed),
            flag(includeDelayed),
            bytes(Integer.toString(scanBudget)));
    return MessagePage.decode(scripts.call(Script.MESSAGES_LIST, queueKey(queue), args));
  }

  /** The live messages among {@code ids}, in the order asked; unknown ids are left out. */
  public List<StoredMessage> get(QueueRef queue, List<String> ids) {
    return nowAndMessages(scripts.call(Script.MESSAGES_GET, queueKey(queue), allBytes(ids)));
  }

  /** Deletes messages, all or none, by Zaqar's claim rules; returns how many were deleted. */
  public int delete(QueueRef queue, List<String> ids, String claimId) {
    List<byte[]> args = new ArrayList<>();
    args.add(bytes(claimId));
    args.addAll(allBytes(ids));
    return (int)
        Replies.asLong(
            scripts.callOnQueue(Script.MESSAGES_DELETE, queueKey(queue), args, durability));
  }

  /** Removes and returns up to {@code count} of the oldest free messages. */
  public List<StoredMessage> pop(QueueRef queue, int count) {
    return pop(queue, count, null);
  }

  /**
   * As above, only among messages ranked below {@code belowRank} (null: any), as {@link
   * io.kvdb.lua.claims.Claims#create(QueueRef, String, Duration, Duration, int, Long)}.
   */
  public List<StoredMessage> pop(QueueRef queue, int count, Long belowRank) {
    return nowAndMessages(
        scripts.callOnQueue(
            Script.MESSAGES_POP,
            queueKey(queue),
            List.of(
                bytes(Integer.toString(count)),
                belowRank == null ? NONE : bytes(Long.toString(belowRank))),
            durability));
  }

  /** Decodes the reply of messages/get and messages/pop: {now_ms, message fields...}. */
  private static List<StoredMessage> nowAndMessages(Object result) {
    ScriptReply reply = ScriptReply.of(result);
    Instant now = reply.nextInstant();
    return MessageReplies.readAll(reply, now);
  }

  /**
   * What one collector step found: work left over, dead letters waiting to move, and whether the
   * queue exists (a registry entry of a queue that is gone is stale), and the messages it stores
   * and their bytes, for the project's quota.
   */
  public record CollectOutcome(
      boolean more, long deadLetters, boolean exists, long messages, long bytes) {
    /** Decodes the reply of messages/collect. */
    static CollectOutcome decode(Object result) {
      ScriptReply reply = ScriptReply.of(result);
      boolean more = reply.nextFlag();
      long deadLetters = reply.nextLong();
      boolean exists = reply.nextFlag();
      long messages = reply.nextLong();
      return new CollectOutcome(more, deadLetters, exists, messages, reply.nextLong());
    }
  }

  public CollectOutcome collect(QueueRef queue, int budget) {
    return CollectOutcome.decode(
        scripts.call(
            Script.MESSAGES_COLLECT, queueKey(queue), List.of(bytes(Integer.toString(budget)))));
  }

  /** Up to {@code count} dead letters waiting in the queue's outbox. */
  public List<DeadLetter> outbox(QueueRef queue, int count) {
    return DeadLetter.decodeAll(
        scripts.call(
            Script.MESSAGES_OUTBOX, queueKey(queue), List.of(bytes(Integer.toString(count)))));
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
    return values.stream().map(Keys::bytes).toList();
  }
}
