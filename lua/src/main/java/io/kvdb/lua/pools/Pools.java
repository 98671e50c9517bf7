package io.kvdb.lua.pools;

import static io.kvdb.lua.Keys.bytes;

import io.kvdb.lua.Keys;
import io.kvdb.lua.codec.MsgpackValues;
import io.kvdb.lua.script.Script;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.script.ScriptReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The registered pools over the {@code pools/*} scripts of the control Redis, one round trip each;
 * every change is announced on {@link Keys#PLACEMENT_CHANNEL} as {@code pool:<name>}.
 */
public final class Pools {
  /** The largest weight. */
  public static final int MAX_WEIGHT = 1000;

  /** The largest options, msgpack-encoded. */
  public static final int MAX_OPTIONS_BYTES = 4096;

  private final ScriptRegistry scripts;

  public Pools(ScriptRegistry scripts) {
    this.scripts = scripts;
  }

  /** Registers a pool; EXISTS when one has the name, INVALID for a flavor that does not exist. */
  public PoolRecord create(
      String name, String uri, int weight, String flavor, Map<String, Object> options) {
    List<byte[]> keys =
        List.of(bytes(Keys.POOL_NAMES), bytes(Keys.POOL_PREFIX), bytes(Keys.FLAVOR_PREFIX));
    List<byte[]> args =
        List.of(
            bytes(name),
            bytes(uri),
            bytes(Integer.toString(weight)),
            bytes(flavor),
            MsgpackValues.encode(options),
            bytes(Keys.PLACEMENT_CHANNEL),
            bytes(announcement(name)));
    return PoolRecord.read(ScriptReply.of(scripts.call(Script.POOLS_CREATE, keys, args)));
  }

  /** The pool; NOT_FOUND when there is none of that name ("default" always exists). */
  public PoolRecord get(String name) {
    return PoolRecord.read(
        ScriptReply.of(
            scripts.call(
                Script.POOLS_GET, List.of(bytes(Keys.POOL_PREFIX)), List.of(bytes(name)))));
  }

  /** Every pool, "default" first, then the others in name order. */
  public List<PoolRecord> list() {
    ScriptReply reply =
        ScriptReply.of(
            scripts.call(
                Script.POOLS_LIST,
                List.of(bytes(Keys.POOL_NAMES), bytes(Keys.POOL_PREFIX)),
                List.of()));
    List<PoolRecord> pools = new ArrayList<>();
    while (reply.hasNext()) {
      pools.add(PoolRecord.read(reply));
    }
    return pools;
  }

  /** Changes what {@code update} names; NOT_FOUND when there is no such pool. */
  public PoolRecord update(String name, PoolUpdate update) {
    List<byte[]> keys = List.of(bytes(Keys.POOL_PREFIX), bytes(Keys.FLAVOR_PREFIX));
    List<byte[]> args =
        List.of(
            bytes(name),
            flag(update.weight() != null),
            bytes(update.weight() == null ? "" : Integer.toString(update.weight())),
            flag(update.flavor() != null),
            bytes(update.flavor() == null ? "" : update.flavor()),
            flag(update.options() != null),
            update.options() == null ? new byte[0] : MsgpackValues.encode(update.options()),
            bytes(Keys.PLACEMENT_CHANNEL),
            bytes(announcement(name)));
    return PoolRecord.read(ScriptReply.of(scripts.call(Script.POOLS_UPDATE, keys, args)));
  }

  /** Forgets the pool; IN_USE while queues live in it, and for "default". */
  public void delete(String name) {
    scripts.call(
        Script.POOLS_DELETE,
        List.of(bytes(Keys.POOL_NAMES), bytes(Keys.POOL_PREFIX)),
        List.of(bytes(name), bytes(Keys.PLACEMENT_CHANNEL), bytes(announcement(name))));
  }

  /** What a change of a pool is announced as. */
  public static String announcement(String pool) {
    return "pool:" + pool;
  }

  private static byte[] flag(boolean set) {
    return bytes(set ? "1" : "0");
  }
}
