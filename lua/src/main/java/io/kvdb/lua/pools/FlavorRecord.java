package io.kvdb.lua.pools;

import io.kvdb.lua.script.ScriptReply;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A flavor with the pools that serve it ("default" first, then in name order). */
public record FlavorRecord(String name, boolean isDefault, List<String> pools, Instant created) {
  public FlavorRecord {
    pools = List.copyOf(pools);
  }

  /** Reads the flavor fields of lib/pools: name, default, created, pool count, pool names. */
  static FlavorRecord read(ScriptReply reply) {
    String name = reply.nextString();
    boolean isDefault = reply.nextFlag();
    var created = reply.nextInstantOrNull();
    int count = reply.nextInt();
    List<String> pools = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      pools.add(reply.nextString());
    }
    return new FlavorRecord(name, isDefault, pools, created);
  }
}
