package io.kvdb.lua.queues;

import io.kvdb.lua.script.ScriptReply;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** A queue's message counts, and its oldest and newest message (empty when it has none). */
public record QueueCounts(
    long free,
    long claimed,
    long delayed,
    long total,
    Optional<DatedMessage> oldest,
    Optional<DatedMessage> newest) {

  /** Decodes the reply of queues/stats. */
  static QueueCounts decode(Object result) {
    ScriptReply reply = ScriptReply.of(result);
    long total = reply.nextLong();
    long claimed = reply.nextLong();
    long delayed = reply.nextLong();
    Instant now = reply.nextInstant();
    Optional<DatedMessage> oldest = readMessage(reply, now);
    Optional<DatedMessage> newest = readMessage(reply, now);
    return new QueueCounts(total - claimed - delayed, claimed, delayed, total, oldest, newest);
  }

  /** Reads an id ('' when the queue is empty) and its created_ms. */
  private static Optional<DatedMessage> readMessage(ScriptReply reply, Instant now) {
    String id = reply.nextString();
    Instant created = reply.nextInstant();
    return id.isEmpty()
        ? Optional.empty()
        : Optional.of(new DatedMessage(id, created, Duration.between(created, now)));
  }
}
