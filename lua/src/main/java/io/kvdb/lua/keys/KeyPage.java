package io.kvdb.lua.keys;

import io.kvdb.lua.script.ScriptReply;
import java.util.ArrayList;
import java.util.List;

/** A page of keys in id order; {@code cursor} the last id when more may follow, else empty. */
public record KeyPage(List<StoredKey> keys, String cursor) {
  public KeyPage {
    keys = List.copyOf(keys);
  }

  /** Decodes the reply of keys/list. */
  static KeyPage decode(Object result) {
    ScriptReply reply = ScriptReply.of(result);
    String cursor = reply.nextString();
    List<StoredKey> keys = new ArrayList<>();
    while (reply.hasNext()) {
      keys.add(StoredKey.read(reply));
    }
    return new KeyPage(keys, cursor);
  }
}
