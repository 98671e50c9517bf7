package io.kvdb.lua.messages;

import io.kvdb.lua.codec.MsgpackValues;
import io.kvdb.lua.script.ScriptReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A message waiting in a queue's outbox to move to its dead-letter queue; {@code move} counts its
 * dead-letter moves so far, this one included, so that a retried move is told apart from a trip
 * around a cycle of queues.
 */
public record DeadLetter(
    String id,
    String deadLetterQueue,
    byte[] body,
    Map<String, Object> attributes,
    Duration ttl,
    long move) {
  private static final int FIELDS = 6;

  /** Decodes the reply of messages/outbox: six fields per letter. */
  @SuppressWarnings("unchecked")
  static List<DeadLetter> decodeAll(Object result) {
    ScriptReply reply = ScriptReply.of(result);
    List<DeadLetter> letters = new ArrayList<>();
    while (reply.remaining() >= FIELDS) {
      String id = reply.nextString();
      String deadLetterQueue = reply.nextString();
      Duration ttl = reply.nextMillis();
      byte[] body = reply.nextBytes();
      byte[] attributes = reply.nextBytes();
      long move = reply.nextLong();
      letters.add(
          new DeadLetter(
              id,
              deadLetterQueue,
              body,
              attributes.length == 0
                  ? Map.of()
                  : (Map<String, Object>) MsgpackValues.decode(attributes),
              ttl,
              move));
    }
    return letters;
  }
}
