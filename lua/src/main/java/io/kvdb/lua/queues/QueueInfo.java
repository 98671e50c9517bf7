package io.kvdb.lua.queues;

import io.kvdb.lua.script.ScriptReply;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A queue as stored: its name, when it was created (null when listed without metadata), and its
 * metadata (JSON-like values, which may be null, so the map is an unmodifiable copy rather than
 * {@code Map.copyOf}).
 */
public record QueueInfo(String name, Instant createdAt, Map<String, Object> metadata) {
  public QueueInfo {
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** Decodes the reply of queues/get, which queues/update shares. */
  static QueueInfo decode(String name, Object result) {
    return read(name, ScriptReply.of(result));
  }

  /** Reads {created_at_ms, key, value, key, value, ...} to the end of the reply. */
  static QueueInfo read(String name, ScriptReply reply) {
    Instant createdAt = reply.nextInstant();
    return new QueueInfo(name, createdAt, QueueMetadata.readPairs(reply));
  }
}
