package io.kvdb.lua.queue;

import static io.kvdb.lua.Keys.bytes;

import io.kvdb.lua.Keys;
import io.kvdb.lua.script.Replies;
import io.kvdb.lua.script.Script;
import io.kvdb.lua.script.ScriptRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * Queues, as Zaqar has them: typed entry points over the {@code queues/*} scripts and the
 * project's queue registry.
 *
 * <p>A queue's own keys share one hash tag; the project's registry (used only for listing) has
 * another, so create and delete take two round trips, ordered so that a crash between them
 * leaves a state the same call repairs when retried: create writes the queue, then registers
 * it; delete removes the queue, then unregisters it. Both are idempotent.
 */
public final class Queues {
  private final UnifiedJedis redis;
  private final ScriptRegistry scripts;

  public Queues(UnifiedJedis redis, ScriptRegistry scripts) {
    this.redis = redis;
    this.scripts = scripts;
  }

  /** Creates the queue unless it exists; an existing queue is returned unchanged. */
  public QueueCreation create(QueueRef queue, Map<String, Object> metadata) {
    List<?> reply = Replies.list(scripts.call(
        Script.QUEUE_CREATE, List.of(bytes(Keys.queue(queue))), QueueMetadata.toPairs(metadata, false)));
    boolean created = Replies.asLong(reply.get(0)) == 1;
    register(queue, created);
    return new QueueCreation(info(queue.name(), reply, 1), created);
  }

  /**
   * Lists the queue in its project's registry (again: the repair step of an interrupted create)
   * and, when it is new, the project in the collector's registry of projects.
   */
  public void register(QueueRef queue, boolean created) {
    redis.zadd(Keys.queueRegistry(queue.project()), 0, queue.name());
    if (created) {
      redis.zadd(Keys.PROJECTS, 0, queue.project());
    }
  }

  /** The queue and its metadata; {@code NOT_FOUND} when it does not exist. */
  public QueueInfo get(QueueRef queue) {
    List<?> reply = Replies.list(scripts.call(Script.QUEUE_GET, List.of(bytes(Keys.queue(queue))), List.of()));
    return info(queue.name(), reply, 0);
  }

  /**
   * Merges into or replaces the queue's metadata; {@code NOT_FOUND} when the queue does not
   * exist, {@code INVALID} when the result would exceed {@link QueueMetadata#MAX_BYTES}.
   */
  public QueueInfo update(QueueRef queue, Map<String, Object> metadata, MetadataUpdate mode) {
    List<byte[]> args = new ArrayList<>();
    args.add(bytes(mode.name().toLowerCase()));
    args.add(bytes(Integer.toString(QueueMetadata.MAX_BYTES)));
    args.addAll(QueueMetadata.toPairs(metadata, mode == MetadataUpdate.MERGE));
    List<?> reply = Replies.list(scripts.call(Script.QUEUE_UPDATE, List.of(bytes(Keys.queue(queue))), args));
    return info(queue.name(), reply, 0);
  }

  /**
   * Deletes the queue and all it holds; true when it existed. Its messages are handed to the
   * collector's trash (deleted in bounded steps by {@link #purgeTrash}), so this is O(1).
   */
  public boolean delete(QueueRef queue) {
    List<?> reply = Replies.list(scripts.call(Script.QUEUE_DELETE, List.of(bytes(Keys.queue(queue))), List.of()));
    String trash = Replies.asString(reply.get(1));
    if (!trash.isEmpty()) {
      redis.zadd(Keys.QUEUE_TRASH, 0, trash);
    }
    redis.zrem(Keys.queueRegistry(queue.project()), queue.name());
    return Replies.asLong(reply.get(0)) == 1;
  }

  /**
   * One bounded step of emptying deleted queues' trash: deletes up to {@code budget} messages.
   * Returns true when trash is left.
   */
  public boolean purgeTrash(int budget) {
    List<String> trashKeys = redis.zrange(Keys.QUEUE_TRASH, 0, 0);
    if (trashKeys.isEmpty()) {
      return false;
    }
    String trash = trashKeys.get(0);
    String messagePrefix = trash.substring(0, trash.indexOf(":trash:")) + ":m:";
    long left = Replies.asLong(scripts.call(Script.QUEUE_PURGE,
        List.of(bytes(trash)), List.of(bytes(messagePrefix), bytes(Integer.toString(budget)))));
    if (left == 0) {
      redis.zrem(Keys.QUEUE_TRASH, trash);
      return redis.zcard(Keys.QUEUE_TRASH) > 0;
    }
    return true;
  }

  /** Up to {@code limit} projects after {@code after} (null: from the first), for the collector. */
  public List<String> projects(String after, int limit) {
    String min = after == null ? "-" : "(" + after;
    return redis.zrangeByLex(Keys.PROJECTS, min, "+", 0, limit);
  }

  /** Message counts and the oldest and newest message; {@code NOT_FOUND} for a missing queue. */
  public QueueCounts stats(QueueRef queue) {
    List<?> reply = Replies.list(scripts.call(Script.QUEUE_STATS, List.of(bytes(Keys.queue(queue))), List.of()));
    long total = Replies.asLong(reply.get(0));
    long claimed = Replies.asLong(reply.get(1));
    long delayed = Replies.asLong(reply.get(2));
    Instant now = Replies.asInstant(reply.get(3));
    return new QueueCounts(
        total - claimed - delayed, claimed, delayed, total,
        messageAge(reply.get(4), reply.get(5), now),
        messageAge(reply.get(6), reply.get(7), now));
  }

  /**
   * Up to {@code limit} of the project's queues in name order, starting strictly after
   * {@code after} (null for the first page), optionally only names that start with
   * {@code prefix}. Metadata costs one more round trip (a pipeline of reads), and only when asked.
   */
  public QueuePage list(String project, String prefix, String after, int limit, boolean withMetadata) {
    byte[] min = prefix.isEmpty() ? bytes("-") : bytes("[" + prefix);
    if (after != null && after.compareTo(prefix) >= 0) {
      min = bytes("(" + after);
    }
    byte[] max = prefix.isEmpty() ? bytes("+") : Keys.lexPrefixEnd(prefix);
    List<byte[]> names = redis.zrangeByLex(bytes(Keys.queueRegistry(project)), min, max, 0, limit + 1);
    boolean hasMore = names.size() > limit;
    List<String> page = new ArrayList<>();
    for (byte[] name : names.subList(0, Math.min(limit, names.size()))) {
      page.add(new String(name, StandardCharsets.UTF_8));
    }
    return new QueuePage(withMetadata ? withMetadata(project, page) : namesOnly(page), hasMore);
  }

  private List<QueueInfo> namesOnly(List<String> names) {
    return names.stream().map(name -> new QueueInfo(name, null, Map.of())).toList();
  }

  /** Reads each queue's hash in one pipeline; a name whose queue is gone is left out. */
  private List<QueueInfo> withMetadata(String project, List<String> names) {
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

  private static QueueInfo info(String name, List<?> reply, int createdAtIndex) {
    return new QueueInfo(
        name, Replies.asInstant(reply.get(createdAtIndex)), QueueMetadata.fromPairs(reply, createdAtIndex + 1));
  }

  private static Optional<MessageAge> messageAge(Object id, Object createdAt, Instant now) {
    String messageId = Replies.asString(id);
    if (messageId.isEmpty()) {
      return Optional.empty();
    }
    Instant created = Replies.asInstant(createdAt);
    return Optional.of(new MessageAge(messageId, created, Duration.between(created, now)));
  }
}
