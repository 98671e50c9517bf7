package io.kvdb.lua.broker;

import java.time.Instant;
import java.util.Map;

/** A message read from a channel; {@code deliveries} is 0 for broadcast messages. */
public record BrokerMessage(String channel, String id, byte[] payload, Map<String, Object> attributes, int deliveries) {
  /** When it was published: the time part of its stream id (Redis clock). */
  public Instant publishedAt() {
    return Instant.ofEpochMilli(Long.parseLong(id.substring(0, id.indexOf('-'))));
  }
}
