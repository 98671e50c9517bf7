package io.kvdb.lua.pools;

import static io.kvdb.lua.Keys.bytes;

import io.kvdb.lua.Keys;
import io.kvdb.lua.script.Script;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.script.ScriptReply;
import java.util.ArrayList;
import java.util.List;

/** The flavors over the {@code flavors/*} scripts of the control Redis, one round trip each. */
public final class Flavors {
  private static final List<byte[]> KEYS =
      List.of(
          bytes(Keys.FLAVOR_NAMES),
          bytes(Keys.FLAVOR_PREFIX),
          bytes(Keys.POOL_NAMES),
          bytes(Keys.POOL_PREFIX));

  private final ScriptRegistry scripts;

  public Flavors(ScriptRegistry scripts) {
    this.scripts = scripts;
  }

  /** Creates a flavor; EXISTS when one has the name. The default one takes the mark from others. */
  public FlavorRecord create(String name, boolean isDefault) {
    return FlavorRecord.read(
        ScriptReply.of(
            scripts.call(Script.FLAVORS_CREATE, KEYS, List.of(bytes(name), flag(isDefault)))));
  }

  /** The flavor; NOT_FOUND when there is none of that name. */
  public FlavorRecord get(String name) {
    List<byte[]> keys =
        List.of(bytes(Keys.FLAVOR_PREFIX), bytes(Keys.POOL_NAMES), bytes(Keys.POOL_PREFIX));
    return FlavorRecord.read(
        ScriptReply.of(scripts.call(Script.FLAVORS_GET, keys, List.of(bytes(name)))));
  }

  /** Every flavor in name order. */
  public List<FlavorRecord> list() {
    ScriptReply reply = ScriptReply.of(scripts.call(Script.FLAVORS_LIST, KEYS, List.of()));
    List<FlavorRecord> flavors = new ArrayList<>();
    while (reply.hasNext()) {
      flavors.add(FlavorRecord.read(reply));
    }
    return flavors;
  }

  /** Sets whether the flavor is the default one; NOT_FOUND when there is none of that name. */
  public FlavorRecord update(String name, boolean isDefault) {
    return FlavorRecord.read(
        ScriptReply.of(
            scripts.call(Script.FLAVORS_UPDATE, KEYS, List.of(bytes(name), flag(isDefault)))));
  }

  /** Deletes the flavor; IN_USE while a pool serves it. */
  public void delete(String name) {
    scripts.call(Script.FLAVORS_DELETE, KEYS, List.of(bytes(name)));
  }

  private static byte[] flag(boolean set) {
    return bytes(set ? "1" : "0");
  }
}
