package io.kvdb.lua.broker;

import io.kvdb.lua.codec.MsgpackValues;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A message read from a channel; {@code deliveries} is 0 for broadcast messages. */
public record BrokerMessage(
    String channel, String id, byte[] payload, Map<String, Object> attributes, int deliveries) {
  /** When it was published: the time part of its stream id (Redis clock). */
  public Instant publishedAt() {
    return Instant.ofEpochMilli(Long.parseLong(id.substring(0, id.indexOf('-'))));
  }

  /** Decodes a message's msgpack attributes as the broker scripts return them ('' for none). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> attributes(byte[] packed) {
    Map<String, Object> decoded =
        packed.length == 0 ? Map.of() : (Map<String, Object>) MsgpackValues.decode(packed);
    return new LinkedHashMap<>(decoded);
  }
}
