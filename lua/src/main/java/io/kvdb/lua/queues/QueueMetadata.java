package io.kvdb.lua.queues;

import io.kvdb.lua.Keys;
import io.kvdb.lua.codec.MsgpackValues;
import io.kvdb.lua.script.Replies;
import io.kvdb.lua.script.ScriptReply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How queue metadata is stored: one queue-hash field {@code m:<key>} per top-level key, its value
 * msgpack-encoded. Keeping keys apart lets a merge touch only the keys it names, atomically,
 * without decoding and re-encoding the rest inside Lua.
 */
public final class QueueMetadata {
  /** The most metadata a queue may hold: key bytes plus encoded value bytes. */
  public static final int MAX_BYTES = 64 * 1024;

  private static final byte[] REMOVE = new byte[0];

  private QueueMetadata() {}

  /** The size the {@link #MAX_BYTES} limit applies to. */
  public static int sizeOf(Map<String, Object> metadata) {
    int size = 0;
    for (Map.Entry<String, Object> entry : metadata.entrySet()) {
      size += entry.getKey().getBytes(StandardCharsets.UTF_8).length;
      size += MsgpackValues.encode(entry.getValue()).length;
    }
    return size;
  }

  /** Key, value pairs for a script; with {@code nullRemoves}, a null value becomes a removal. */
  static List<byte[]> toPairs(Map<String, Object> metadata, boolean nullRemoves) {
    List<byte[]> pairs = new ArrayList<>(metadata.size() * 2);
    metadata.forEach(
        (key, value) -> {
          pairs.add(Keys.bytes(key));
          pairs.add(value == null && nullRemoves ? REMOVE : MsgpackValues.encode(value));
        });
    return pairs;
  }

  /** Reads {@code key, value, ...} pairs to the end of a script reply. */
  static Map<String, Object> readPairs(ScriptReply reply) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    while (reply.remaining() >= 2) {
      String key = reply.nextString();
      metadata.put(key, MsgpackValues.decode(reply.nextBytes()));
    }
    return metadata;
  }

  /** Decodes a whole queue hash ({@code HGETALL}); null when the hash does not exist. */
  static QueueInfo fromHash(String name, Map<byte[], byte[]> hash) {
    byte[] createdAt = null;
    Map<String, Object> metadata = new LinkedHashMap<>();
    for (Map.Entry<byte[], byte[]> field : hash.entrySet()) {
      String fieldName = new String(field.getKey(), StandardCharsets.UTF_8);
      if (fieldName.equals(Keys.CREATED_FIELD)) {
        createdAt = field.getValue();
      } else if (fieldName.startsWith(Keys.METADATA_FIELD_PREFIX)) {
        String key = fieldName.substring(Keys.METADATA_FIELD_PREFIX.length());
        metadata.put(key, MsgpackValues.decode(field.getValue()));
      }
    }
    return createdAt == null ? null : new QueueInfo(name, Replies.asInstant(createdAt), metadata);
  }
}
