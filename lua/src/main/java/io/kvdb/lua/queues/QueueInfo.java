package io.kvdb.lua.queues;

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
}
