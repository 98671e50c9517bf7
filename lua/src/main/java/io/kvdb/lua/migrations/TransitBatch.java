package io.kvdb.lua.migrations;

import io.kvdb.lua.script.ScriptReply;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one migrations/take moved into the source's transit (or, {@code replayed}, what an earlier
 * step left there), and what the source still holds: free and delayed messages, messages under
 * claims (they move once their claims end), and dead letters waiting in its outbox.
 */
public record TransitBatch(
    Instant now,
    boolean replayed,
    long left,
    long claimed,
    long letters,
    List<TransitMessage> messages) {
  public TransitBatch {
    messages = List.copyOf(messages);
  }

  /** The ids of the batch, for migrations/ack. */
  public List<String> ids() {
    return messages.stream().map(TransitMessage::id).toList();
  }

  static TransitBatch decode(Object result) {
    ScriptReply reply = ScriptReply.of(result);
    Instant now = reply.nextInstant();
    boolean replayed = reply.nextFlag();
    long left = reply.nextLong();
    long claimed = reply.nextLong();
    long letters = reply.nextLong();
    List<TransitMessage> messages = new ArrayList<>();
    while (reply.remaining() >= TransitMessage.FIELDS) {
      messages.add(TransitMessage.read(reply));
    }
    return new TransitBatch(now, replayed, left, claimed, letters, messages);
  }
}
