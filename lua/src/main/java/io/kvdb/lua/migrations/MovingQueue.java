package io.kvdb.lua.migrations;

import io.kvdb.lua.script.ScriptReply;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the target needs of a queue moving out of its source: the rank counter (the target ranks new
 * messages above it), the creation time and the metadata, each value as stored (msgpack), so it
 * arrives byte for byte.
 */
public record MovingQueue(long rankCounter, Instant createdAt, Map<String, byte[]> metadata) {
  public MovingQueue {
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** Decodes the reply of migrations/mark_source. */
  static MovingQueue decode(Object result) {
    ScriptReply reply = ScriptReply.of(result);
    long rankCounter = reply.nextLong();
    Instant createdAt = reply.nextInstant();
    Map<String, byte[]> metadata = new LinkedHashMap<>();
    while (reply.remaining() >= 2) {
      String key = reply.nextString();
      metadata.put(key, reply.nextBytes());
    }
    return new MovingQueue(rankCounter, createdAt, metadata);
  }
}
