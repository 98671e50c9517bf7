package io.kvdb.lua;

import io.kvdb.lua.locks.LockRef;
import io.kvdb.lua.queues.QueueRef;
import java.nio.charset.StandardCharsets;

/**
 * The Redis key schema, in one place. Every key starts with {@code kvdb:}. The keys of one queue
 * share the hash tag {@code {project/queue}}, so every script touches one cluster slot. Project ids
 * and queue names cannot contain '/', '{', '}' or ':' (they match {@code [A-Za-z0-9_.-]+}), so no
 * name can forge another queue's key, whatever it spells: a queue named "ready" is {@code
 * kvdb:q:{p/ready}}, never an index of a queue named "p".
 */
public final class Keys {
  /**
   * Suffixes of the two zsets that hold a queue's message ids, scored by rank (FIFO order): the
   * ready ones, and the hidden ones (claimed or delayed). Every message is in one of them.
   */
  public static final java.util.List<String> MESSAGES_BY_RANK =
      java.util.List.of(":ready", ":hidden");

  /** The prefix of the queue hash fields that hold metadata values, one field per key. */
  public static final String METADATA_FIELD_PREFIX = "m:";

  /** The queue hash field that holds its creation time (ms, Redis clock). */
  public static final String CREATED_FIELD = "cr";

  /** The channel on which posts (and releases) are announced, to wake waiting claims. */
  public static final String MESSAGES_READY_CHANNEL = "kvdb:events:messages-ready";

  private Keys() {}

  /** The queue hash: creation time {@code cr} and metadata fields {@code m:<key>}. */
  public static String queue(QueueRef queue) {
    return "kvdb:q:{" + queue.project() + "/" + queue.name() + "}";
  }

  /** The prefix of a queue's message hashes: a message's key is this plus its id. */
  public static String messagePrefix(QueueRef queue) {
    return queue(queue) + ":m:";
  }

  /**
   * The record of a post with an idempotency key (string, expiring with the window), in the queue's
   * slot. The key holds only {@code [A-Za-z0-9_.:-]} (the gateway checks), so it can never reach
   * into another queue's keys.
   */
  public static String idempotencyRecord(QueueRef queue, String idempotencyKey) {
    return queue(queue) + ":posted:" + idempotencyKey;
  }

  /** Every project that ever had a queue (zset, all scores 0), for the background collector. */
  public static final String PROJECTS = "kvdb:projects";

  /** Every project that recorded statistics (zset, all scores 0), for the roll-up job. */
  public static final String STATS_PROJECTS = "kvdb:st-projects";

  /**
   * Trash keys of deleted queues whose messages the collector has yet to delete (zset, scored by
   * when each was listed).
   */
  public static final String QUEUE_TRASH = "kvdb:gc:trash";

  /**
   * The trash keys queues/delete sets a queue's ready and hidden messages, dead-letter outbox and
   * migration transit aside under, named by the deleting call's stamp.
   */
  public static java.util.List<String> queueTrash(QueueRef queue, String stamp) {
    String hash = queue(queue);
    return java.util.List.of(
        hash + ":trash:" + stamp,
        hash + ":trash:" + stamp + ".hidden",
        hash + ":dlq:trash:" + stamp,
        hash + ":mv:trash:" + stamp);
  }

  /** The queue hash a trash key of {@link #queueTrash} belongs to: the key up to its hash tag. */
  public static String queueOfTrash(String trash) {
    return trash.substring(0, trash.indexOf('}') + 1);
  }

  /** A project's queue names (zset, all scores 0, so ordered by name). */
  public static String queueRegistry(String project) {
    return "kvdb:p:{" + project + "}:queues";
  }

  /**
   * A lock's hash. Locks of one project share the project's hash tag, so that a lock, its fence
   * counter and the project's index of held locks change together in one script.
   */
  public static String lock(LockRef lock) {
    return lockPrefix(lock.project()) + lock.name();
  }

  /** The prefix of a project's lock hashes: a lock's key is this plus its name. */
  public static String lockPrefix(String project) {
    return "kvdb:lock:{" + project + "}:h:";
  }

  /** A project's last fence per lock name (hash); names unused for a while are forgotten. */
  public static String lockFences(String project) {
    return "kvdb:lock:{" + project + "}:fences";
  }

  /** When each name of {@link #lockFences} was last held (zset, ms), to forget unused ones. */
  public static String lockFenceAges(String project) {
    return "kvdb:lock:{" + project + "}:fence-ages";
  }

  /** The highest fence of a project's forgotten lock names (string); new names start above it. */
  public static String lockFenceFloor(String project) {
    return "kvdb:lock:{" + project + "}:fence-floor";
  }

  /** A project's names of possibly held locks (zset, all scores 0, so ordered by name). */
  public static String lockNames(String project) {
    return "kvdb:lock:{" + project + "}:names";
  }

  /**
   * The prefix of a project's service statistics (see lua/scripts/lib/stats.lua). One tag per
   * project, so a batch of invocations of many services is recorded by one script.
   */
  public static String stats(String project) {
    return "kvdb:st:{" + project + "}";
  }

  /**
   * The prefix of a project's broker channels (see lua/scripts/broker/publish.lua). One tag per
   * project, so a channel and its dead-letter channel share a slot.
   */
  public static String broker(String project) {
    return "kvdb:br:{" + project + "}";
  }

  /** The channels a project ever published to (set of '<mode>:<channel>'), for its quota. */
  public static String brokerChannels(String project) {
    return broker(project) + ":channels";
  }

  /**
   * A project's quota record (see lua/scripts/quotas/get.lua): its limits and token bucket. Tagged
   * as the project's queue registry and broker, so the scripts that count queues and channels check
   * the quota in the same slot.
   */
  public static String quota(String project) {
    return "kvdb:quota:{" + project + "}";
  }

  /**
   * The collector's last count of a project's stored messages and bytes (hash: messages, bytes,
   * at), apart from the quota record so that limits and measurements change independently.
   */
  public static String quotaUsage(String project) {
    return quota(project) + ":usage";
  }

  /** The pub/sub channel on which publishes are announced, to wake waiting subscribers. */
  public static final String BROKER_CHANNEL = "kvdb:events:published";

  /** The prefix of a project's data dictionary (see lua/scripts/lib/dictionaries.lua). */
  public static String dictionary(String project) {
    return "kvdb:dict:{" + project + "}";
  }

  /** The pub/sub channel on which a release is announced, to wake waiters on every gateway. */
  public static final String LOCK_RELEASED_CHANNEL = "kvdb:events:lock-released";

  /**
   * The inclusive upper end of a Redis lex range over every member starting with {@code prefix}:
   * names are ASCII, so no member after the prefix sorts past byte 0xff.
   */
  public static byte[] lexPrefixEnd(String prefix) {
    byte[] head = bytes("[" + prefix);
    byte[] end = java.util.Arrays.copyOf(head, head.length + 1);
    end[head.length] = (byte) 0xff;
    return end;
  }

  public static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The one hash tag of every API key key, so each key script touches one cluster slot. */
  private static final String API_KEYS = "kvdb:keys:{keys}";

  /** Every live API key id (zset, all scores 0, so ordered by id). */
  public static final String API_KEY_IDS = API_KEYS + ":ids";

  /** SHA-256 (hex) of each working API key secret to its key id (hash). */
  public static final String API_KEY_HASHES = API_KEYS + ":hashes";

  /** Each client certificate identity bound to an API key, to its key id (hash). */
  public static final String API_KEY_IDENTITIES = API_KEYS + ":identities";

  /** The prefix of the API key records: a key's record is this plus its id. */
  public static final String API_KEY_PREFIX = API_KEYS + ":k:";

  /** An API key's record (hash; {@code lua/scripts/lib/keys.lua} has the fields). */
  public static String apiKey(String id) {
    return API_KEY_PREFIX + id;
  }

  /**
   * The one hash tag of the pools, flavors, catalogue and migrations, all in the control Redis, so
   * a placement checks its pool and counts it in one script. {@code lua/scripts/lib/pools.lua} has
   * the fields of each hash.
   */
  private static final String POOLS = "kvdb:pools:{pools}";

  /** The registered pools' names (zset, all scores 0, so ordered by name). */
  public static final String POOL_NAMES = POOLS + ":names";

  /** The prefix of pool records: a pool's hash is this plus its name. */
  public static final String POOL_PREFIX = POOLS + ":p:";

  /** The flavors' names (zset, all scores 0). */
  public static final String FLAVOR_NAMES = POOLS + ":flavors";

  /** The prefix of flavor records: a flavor's hash is this plus its name. */
  public static final String FLAVOR_PREFIX = POOLS + ":f:";

  /**
   * The prefix of the catalogue: a project's placements (hash, queue -> placement) is this plus it.
   */
  public static final String PLACEMENT_PREFIX = POOLS + ":at:";

  /** The running migrations, {@code project/queue} (zset scored by start time, ms). */
  public static final String MIGRATIONS = POOLS + ":migrations";

  /** The prefix of migration records: a queue's (hash) is this plus {@code project/queue}. */
  public static final String MIGRATION_PREFIX = POOLS + ":mig:";

  /** Announces a changed placement ({@code project/queue}) or pool ({@code pool:<name>}). */
  public static final String PLACEMENT_CHANNEL = "kvdb:events:placement";

  /**
   * On each deployment, the pool it serves (string; "default" on the control Redis), so that one
   * deployment is never registered as two pools, whose queues' keys would collide.
   */
  public static final String POOL_MARK = "kvdb:serves-pool";

  /** A pool's record. */
  public static String pool(String name) {
    return POOL_PREFIX + name;
  }

  /** A flavor's record. */
  public static String flavor(String name) {
    return FLAVOR_PREFIX + name;
  }

  /** A project's placements: queue name -> where it lives. */
  public static String placements(String project) {
    return PLACEMENT_PREFIX + project;
  }

  /** A queue's migration record. */
  public static String migration(QueueRef queue) {
    return MIGRATION_PREFIX + queue.project() + "/" + queue.name();
  }
}
