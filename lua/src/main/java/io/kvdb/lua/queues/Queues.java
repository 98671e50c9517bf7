package io.kvdb.lua.queues;

import static io.kvdb.lua.Keys.bytes;

import io.kvdb.lua.Keys;
import io.kvdb.lua.script.Durability;
import io.kvdb.lua.script.Replies;
import io.kvdb.lua.script.Script;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.script.ScriptReply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * Queues, as Zaqar has them: typed entry points over the {@code queues/*} scripts and the project's
 * queue registry.
 *
 * <p>A queue's own keys share one hash tag; the project's registry (used for listing and by the
 * collector) has another, so a change to both takes two round trips, ordered so that the registry
 * converges on the queues that exist whatever runs concurrently or crashes between:
 *
 * <ul>
 *   <li>whatever creates a queue (create, a post, a dead-letter move) creates it marked
 *       unregistered, then {@link #register registers} it, which clears the mark. A gateway that
 *       dies in between leaves the mark, and the next post or create on the queue registers it.
 *   <li>{@link #delete} and {@link #reconcile} remove an entry, then look whether the queue exists
 *       (a concurrent post may have created it again) and, if so, list it again. Any creation then
 *       either precedes that look or registers itself after the removal.
 * </ul>
 *
 * So a live queue is never left unlisted; an entry whose queue is gone is skipped by listings and
 * dropped by the collector.
 *
 * <p>The registries live in the control Redis and a queue's own keys (and its pool's trash) in the
 * pool the queue was placed in; with one Redis both are the same client.
 */
public final class Queues {
  private static final byte[] UNREGISTERED_FIELD = bytes("ur");

  /** What queues/purge answers for a listed trash key whose queue is not yet deleted. */
  private static final long PENDING = -1;

  /** The control Redis: the projects' queue registries and the registry of projects. */
  private final UnifiedJedis control;

  /** The pool's Redis, which {@code scripts} were loaded into: the queues' keys and trash. */
  private final UnifiedJedis redis;

  private final ScriptRegistry scripts;

  private final Durability durability;

  public Queues(UnifiedJedis redis, ScriptRegistry scripts) {
    this(redis, scripts, Durability.IN_MEMORY);
  }

  public Queues(UnifiedJedis redis, ScriptRegistry scripts, Durability durability) {
    this(redis, redis, scripts, durability);
  }

  /** Queues living in a pool ({@code redis}, {@code scripts}) and listed in {@code control}. */
  public Queues(
      UnifiedJedis control, UnifiedJedis redis, ScriptRegistry scripts, Durability durability) {
    this.control = control;
    this.redis = redis;
    this.scripts = scripts;
    this.durability = durability;
  }

  /** Creates the queue unless it exists; an existing queue is returned unchanged. */
  public QueueCreation create(QueueRef queue, Map<String, Object> metadata) {
    Created reply =
        Created.decode(
            queue.name(),
            scripts.callOnQueue(
                Script.QUEUES_CREATE,
                List.of(bytes(Keys.queue(queue))),
                QueueMetadata.toPairs(metadata, false),
                durability));
    if (reply.unregistered()) {
      register(queue);
    }
    return new QueueCreation(reply.queue(), reply.created());
  }

  /** The reply of queues/create. */
  private record Created(boolean created, boolean unregistered, QueueInfo queue) {
    static Created decode(String name, Object result) {
      ScriptReply reply = ScriptReply.of(result);
      boolean created = reply.nextFlag();
      boolean unregistered = reply.nextFlag();
      return new Created(created, unregistered, QueueInfo.read(name, reply));
    }
  }

  /**
   * Lists a queue that a script reported unregistered in its project's registry and the project in
   * the collector's registry of projects, then clears the queue's mark. The three keys are in three
   * slots, on up to three cluster nodes that a pipeline would write in no set order; so the mark is
   * cleared only once both registries confirmed, and a failure on the way leaves it for the next
   * post or create to finish.
   */
  public void register(QueueRef queue) {
    try (AbstractPipeline pipeline = control.pipelined()) {
      Response<Long> listed = pipeline.zadd(Keys.queueRegistry(queue.project()), 0, queue.name());
      Response<Long> projectListed = pipeline.zadd(Keys.PROJECTS, 0, queue.project());
      pipeline.sync();
      listed.get();
      projectListed.get();
    }
    redis.hdel(bytes(Keys.queue(queue)), UNREGISTERED_FIELD);
  }

  /** The queue and its metadata; {@code NOT_FOUND} when it does not exist. */
  public QueueInfo get(QueueRef queue) {
    return QueueInfo.decode(
        queue.name(),
        scripts.call(Script.QUEUES_GET, List.of(bytes(Keys.queue(queue))), List.of()));
  }

  /**
   * Merges into or replaces the queue's metadata; {@code NOT_FOUND} when the queue does not exist,
   * {@code INVALID} when the result would exceed {@link QueueMetadata#MAX_BYTES}.
   */
  public QueueInfo update(QueueRef queue, Map<String, Object> metadata, MetadataUpdate mode) {
    return update(queue, metadata, mode, "");
  }

  /**
   * As above, also where the queue is marked moving out to {@code movingTo} (a split queue's
   * source, updated after its target); a mark naming another pool still refuses with {@code MOVED}.
   */
  public QueueInfo update(
      QueueRef queue, Map<String, Object> metadata, MetadataUpdate mode, String movingTo) {
    List<byte[]> args = new ArrayList<>();
    args.add(bytes(mode.name().toLowerCase()));
    args.add(bytes(Integer.toString(QueueMetadata.MAX_BYTES)));
    args.add(bytes(movingTo));
    args.addAll(QueueMetadata.toPairs(metadata, mode == MetadataUpdate.MERGE));
    return QueueInfo.decode(
        queue.name(),
        scripts.callOnQueue(
            Script.QUEUES_UPDATE, List.of(bytes(Keys.queue(queue))), args, durability));
  }

  /**
   * Deletes the queue and all it holds; true when it existed. Its messages and dead letters are
   * handed to the collector's trash (deleted in bounded steps by {@link #purgeTrash}), so this is
   * O(1). The trash keys are listed before the script makes them, in another slot: a gateway that
   * dies between the two calls leaves a listed name, never unlisted trash.
   */
  public boolean delete(QueueRef queue) {
    String stamp =
        System.currentTimeMillis() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    List<String> trash = Keys.queueTrash(queue, stamp);
    double listed = System.currentTimeMillis();
    Map<String, Double> listing = new java.util.HashMap<>();
    trash.forEach(key -> listing.put(key, listed));
    redis.zadd(Keys.QUEUE_TRASH, listing);
    Deleted reply =
        Deleted.decode(
            scripts.callOnQueue(
                Script.QUEUES_DELETE,
                List.of(bytes(Keys.queue(queue))),
                List.of(bytes(stamp)),
                durability));
    String[] unmade =
        trash.stream().filter(key -> !reply.made().contains(key)).toArray(String[]::new);
    if (unmade.length > 0) {
      redis.zrem(Keys.QUEUE_TRASH, unmade);
    }
    unregisterUnlessLive(queue);
    return reply.existed();
  }

  /** The reply of queues/delete: whether the queue existed, and the trash keys it made. */
  private record Deleted(boolean existed, List<String> made) {
    static Deleted decode(Object result) {
      ScriptReply reply = ScriptReply.of(result);
      boolean existed = reply.nextFlag();
      List<String> made = new ArrayList<>();
      while (reply.hasNext()) {
        String trash = reply.nextString();
        if (!trash.isEmpty()) {
          made.add(trash);
        }
      }
      return new Deleted(existed, made);
    }
  }

  /** Whether the queue exists in this pool. */
  public boolean exists(QueueRef queue) {
    return redis.exists(Keys.queue(queue));
  }

  /**
   * Drops the registry entry of a queue that is gone, for the collector; true when it did. An entry
   * whose queue a concurrent call creates again stays.
   */
  public boolean reconcile(QueueRef queue) {
    if (redis.exists(Keys.queue(queue))) {
      return false;
    }
    return unregisterUnlessLive(queue);
  }

  private boolean unregisterUnlessLive(QueueRef queue) {
    control.zrem(Keys.queueRegistry(queue.project()), queue.name());
    if (redis.exists(Keys.queue(queue))) {
      control.zadd(Keys.queueRegistry(queue.project()), 0, queue.name());
      return false;
    }
    return true;
  }

  /**
   * One bounded step of emptying deleted queues' trash: deletes up to {@code budget} messages.
   * Returns true when trash is left. A listed key whose delete has not run (it is pending while the
   * queue lives) goes to the back of the list, so it never holds up the trash behind it.
   */
  public boolean purgeTrash(int budget) {
    List<String> trashKeys = redis.zrange(Keys.QUEUE_TRASH, 0, 0);
    if (trashKeys.isEmpty()) {
      return false;
    }
    String trash = trashKeys.get(0);
    String messagePrefix = trash.substring(0, trash.indexOf(":trash:")) + ":m:";
    long left =
        Replies.asLong(
            scripts.call(
                Script.QUEUES_PURGE,
                List.of(bytes(trash), bytes(Keys.queueOfTrash(trash))),
                List.of(bytes(messagePrefix), bytes(Integer.toString(budget)))));
    if (left == PENDING) {
      redis.zadd(Keys.QUEUE_TRASH, System.currentTimeMillis(), trash);
      return false;
    }
    if (left == 0) {
      redis.zrem(Keys.QUEUE_TRASH, trash);
      return redis.zcard(Keys.QUEUE_TRASH) > 0;
    }
    return true;
  }

  /** Up to {@code limit} projects after {@code after} (null: from the first), for the collector. */
  public List<String> projects(String after, int limit) {
    String min = after == null ? "-" : "(" + after;
    return control.zrangeByLex(Keys.PROJECTS, min, "+", 0, limit);
  }

  /** Message counts and the oldest and newest message; {@code NOT_FOUND} for a missing queue. */
  public QueueCounts stats(QueueRef queue) {
    return QueueCounts.decode(
        scripts.call(Script.QUEUES_STATS, List.of(bytes(Keys.queue(queue))), List.of()));
  }

  /**
   * Up to {@code limit} of the project's queues in name order, starting strictly after {@code
   * after} (null for the first page), optionally only names that start with {@code prefix}.
   * Metadata costs one more round trip (a pipeline of reads), and only when asked.
   */
  public QueuePage list(
      String project, String prefix, String after, int limit, boolean withMetadata) {
    byte[] min = prefix.isEmpty() ? bytes("-") : bytes("[" + prefix);
    if (after != null && after.compareTo(prefix) >= 0) {
      min = bytes("(" + after);
    }
    byte[] max = prefix.isEmpty() ? bytes("+") : Keys.lexPrefixEnd(prefix);
    List<byte[]> names =
        control.zrangeByLex(bytes(Keys.queueRegistry(project)), min, max, 0, limit + 1);
    List<String> page = new ArrayList<>();
    for (byte[] name : names.subList(0, Math.min(limit, names.size()))) {
      page.add(new String(name, StandardCharsets.UTF_8));
    }
    String nextAfter = names.size() > limit ? page.get(page.size() - 1) : null;
    return new QueuePage(withMetadata ? withMetadata(project, page) : namesOnly(page), nextAfter);
  }

  private List<QueueInfo> namesOnly(List<String> names) {
    return names.stream().map(name -> new QueueInfo(name, null, Map.of())).toList();
  }

  /**
   * Reads each queue's hash in this pool in one pipeline; a name whose queue is gone is left out.
   */
  public List<QueueInfo> withMetadata(String project, List<String> names) {
    List<Response<Map<byte[], byte[]>>> hashes = new ArrayList<>();
    try (AbstractPipeline pipeline = redis.pipelined()) {
      for (String name : names) {
        hashes.add(pipeline.hgetAll(bytes(Keys.queue(new QueueRef(project, name)))));
      }
      pipeline.sync();
    }
    List<QueueInfo> queues = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      QueueInfo queue = QueueMetadata.fromHash(names.get(i), hashes.get(i).get());
      if (queue != null) {
        queues.add(queue);
      }
    }
    return queues;
  }
}
