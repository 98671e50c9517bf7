package io.kvdb.lua.pools;

import io.kvdb.lua.codec.MsgpackValues;
import io.kvdb.lua.script.ScriptReply;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pool as stored: {@code uri} empty for "default" (the control Redis, whose address is the
 * gateway's own), {@code flavor} empty for none, {@code created} null for "default" before its
 * first update.
 */
public record PoolRecord(
    String name,
    String uri,
    int weight,
    String flavor,
    Map<String, Object> options,
    long queues,
    Instant created) {
  public PoolRecord {
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /** Reads the pool fields of lib/pools: name, uri, weight, flavor, options, queues, created. */
  static PoolRecord read(ScriptReply reply) {
    return new PoolRecord(
        reply.nextString(),
        reply.nextString(),
        reply.nextInt(),
        reply.nextString(),
        options(reply.nextBytes()),
        reply.nextLong(),
        reply.nextInstantOrNull());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> options(byte[] encoded) {
    return encoded.length == 0 ? Map.of() : (Map<String, Object>) MsgpackValues.decode(encoded);
  }
}
