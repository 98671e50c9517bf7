package io.kvdb.lua.claims;

import static io.kvdb.lua.Keys.bytes;

import io.kvdb.lua.Keys;
import io.kvdb.lua.messages.Messages;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.script.Durability;
import io.kvdb.lua.script.Replies;
import io.kvdb.lua.script.Script;
import io.kvdb.lua.script.ScriptRegistry;
import java.time.Duration;
import java.util.List;

/** Claims on a queue's messages over the {@code claims/*} scripts: each call is one round trip. */
public final class Claims {
  private final ScriptRegistry scripts;
  private final Durability durability;

  public Claims(ScriptRegistry scripts) {
    this(scripts, Durability.IN_MEMORY);
  }

  /**
   * On a replicated queue a claim, a release and an acknowledgement are on a replica before they
   * are answered, so a failover neither undoes an acknowledged delete nor hands a claimed message
   * to a second consumer.
   */
  public Claims(ScriptRegistry scripts, Durability durability) {
    this.scripts = scripts;
    this.durability = durability;
  }

  /** Claims up to {@code limit} of the oldest free messages under {@code claimId}. */
  public ClaimOutcome create(
      QueueRef queue, String claimId, Duration ttl, Duration grace, int limit) {
    return create(queue, claimId, ttl, grace, limit, null);
  }

  /**
   * As above, only among messages ranked below {@code belowRank} (null: any): while a queue is
   * split between two pools, the other pool's oldest free rank, so FIFO holds across them.
   */
  public ClaimOutcome create(
      QueueRef queue, String claimId, Duration ttl, Duration grace, int limit, Long belowRank) {
    List<byte[]> args =
        List.of(
            bytes(claimId),
            millis(ttl),
            millis(grace),
            bytes(Integer.toString(limit)),
            bytes(belowRank == null ? "" : Long.toString(belowRank)));
    return ClaimOutcome.decode(
        claimId,
        scripts.callOnQueue(Script.CLAIMS_CREATE, Messages.queueKey(queue), args, durability));
  }

  /** The live claim and the messages it still holds; {@code NOT_FOUND} when gone. */
  public ClaimInfo get(QueueRef queue, String claimId) {
    return ClaimInfo.decode(
        claimId,
        scripts.call(Script.CLAIMS_GET, Messages.queueKey(queue), List.of(bytes(claimId))));
  }

  /** New ttl and grace from now, extending the messages; {@code NOT_FOUND} when gone. */
  public ClaimInfo update(QueueRef queue, String claimId, Duration ttl, Duration grace) {
    return ClaimInfo.decode(
        claimId,
        scripts.callOnQueue(
            Script.CLAIMS_UPDATE,
            Messages.queueKey(queue),
            List.of(bytes(claimId), millis(ttl), millis(grace)),
            durability));
  }

  /** Releases the claim's messages at their original rank; returns how many. */
  public int release(QueueRef queue, String claimId) {
    List<byte[]> args =
        List.of(
            bytes(claimId),
            bytes(Keys.MESSAGES_READY_CHANNEL),
            bytes(Messages.announcement(queue)));
    return (int)
        Replies.asLong(
            scripts.callOnQueue(Script.CLAIMS_DELETE, Messages.queueKey(queue), args, durability));
  }

  /** A message and the claim it was given under. */
  public record ClaimedMessage(String claimId, String messageId) {}

  /**
   * Acknowledges (deletes) or releases messages given under claims, in one call; each is settled
   * only if its claim still holds it. Returns how many were settled.
   */
  public int settle(QueueRef queue, boolean acknowledge, List<ClaimedMessage> messages) {
    if (messages.isEmpty()) {
      return 0;
    }
    List<byte[]> args = new java.util.ArrayList<>(3 + messages.size() * 2);
    args.add(bytes(acknowledge ? "ack" : "release"));
    args.add(bytes(Keys.MESSAGES_READY_CHANNEL));
    args.add(bytes(Messages.announcement(queue)));
    for (ClaimedMessage message : messages) {
      args.add(bytes(message.claimId()));
      args.add(bytes(message.messageId()));
    }
    return (int)
        Replies.asLong(
            scripts.callOnQueue(Script.CLAIMS_SETTLE, Messages.queueKey(queue), args, durability));
  }

  private static byte[] millis(Duration duration) {
    return bytes(Long.toString(duration.toMillis()));
  }
}
