package io.kvdb.lua.pools;

import static io.kvdb.lua.Keys.bytes;

import io.kvdb.lua.Keys;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.script.Replies;
import io.kvdb.lua.script.Script;
import io.kvdb.lua.script.ScriptRegistry;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * Which pool each queue lives in, in the control Redis. Reads are one plain command each; changes
 * are one script each, announced on {@link Keys#PLACEMENT_CHANNEL} as {@code project/queue}.
 */
public final class Catalogue {
  private final UnifiedJedis control;
  private final ScriptRegistry scripts;

  public Catalogue(UnifiedJedis control, ScriptRegistry scripts) {
    this.control = control;
    this.scripts = scripts;
  }

  /** The queue's placement; empty when it has no entry, which means {@link Placement#DEFAULT}. */
  public Optional<Placement> find(QueueRef queue) {
    return Optional.ofNullable(control.hget(Keys.placements(queue.project()), queue.name()))
        .map(Placement::parse);
  }

  /** The placements of the project's {@code names}, in one command; empty where none is stored. */
  public List<Optional<Placement>> find(String project, List<String> names) {
    if (names.isEmpty()) {
      return List.of();
    }
    return control.hmget(Keys.placements(project), names.toArray(String[]::new)).stream()
        .map(found -> Optional.ofNullable(found).map(Placement::parse))
        .toList();
  }

  /**
   * Places a new queue among the pools of {@code flavor} (empty: the default flavor's, else every
   * pool's) by weight, using {@code random} in [0, 1); an existing entry is returned unchanged.
   * INVALID (field {@code metadata}) for an unknown flavor, LIMIT when no pool takes new queues.
   */
  public Placement place(QueueRef queue, String flavor, double random) {
    List<byte[]> keys =
        List.of(
            bytes(Keys.placements(queue.project())),
            bytes(Keys.POOL_NAMES),
            bytes(Keys.POOL_PREFIX),
            bytes(Keys.FLAVOR_NAMES),
            bytes(Keys.FLAVOR_PREFIX));
    List<byte[]> args =
        List.of(
            bytes(queue.name()),
            bytes(flavor),
            bytes(Double.toString(random)),
            bytes(Keys.PLACEMENT_CHANNEL),
            bytes(announcement(queue)));
    return Placement.parse(Replies.asString(scripts.call(Script.CATALOGUE_PLACE, keys, args)));
  }

  /** Forgets a deleted queue's entry, if it has one, and its pools' counts of it. */
  public void forget(QueueRef queue) {
    List<byte[]> keys = List.of(bytes(Keys.placements(queue.project())), bytes(Keys.POOL_PREFIX));
    List<byte[]> args =
        List.of(bytes(queue.name()), bytes(Keys.PLACEMENT_CHANNEL), bytes(announcement(queue)));
    scripts.call(Script.CATALOGUE_FORGET, keys, args);
  }

  /** Whether any pool is registered besides "default": without one the catalogue is unused. */
  public boolean anyPoolBesidesDefault() {
    return control.zcard(Keys.POOL_NAMES) > 0;
  }

  /** What a change of a queue's placement is announced as. */
  public static String announcement(QueueRef queue) {
    return queue.project() + "/" + queue.name();
  }
}
