package io.kvdb.lua.quotas;

import static io.kvdb.lua.Keys.bytes;

import io.kvdb.lua.Keys;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.script.Replies;
import io.kvdb.lua.script.Script;
import io.kvdb.lua.script.ScriptRegistry;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import redis.clients.jedis.UnifiedJedis;

/**
 * Per-project quotas over the {@code quotas/*} scripts. One record per project, {@link Keys#quota},
 * in the slot of the project's queue registry and broker, so queue and channel counts are checked
 * exactly where they are kept; stored messages and bytes span the queues' slots and are summed by
 * the collector ({@link #recordUsage}).
 */
public final class Quotas {
  private final UnifiedJedis redis;
  private final ScriptRegistry scripts;

  public Quotas(UnifiedJedis redis, ScriptRegistry scripts) {
    this.redis = redis;
    this.scripts = scripts;
  }

  /** Replaces the project's quota; all limits 0 removes it. Limits must be validated (≥ 0). */
  public void set(String project, Quota quota) {
    List<byte[]> args =
        Stream.of(
                quota.maxQueues(),
                quota.maxMessages(),
                quota.maxBytes(),
                quota.maxChannels(),
                quota.requestsPerSecond(),
                quota.burst())
            .map(limit -> bytes(Long.toString(limit)))
            .toList();
    scripts.call(Script.QUOTAS_SET, List.of(bytes(Keys.quota(project))), args);
  }

  /** The project's quota ({@link Quota#NONE} when it has none) and usage. */
  public QuotaState get(String project) {
    return QuotaState.decode(
        scripts.call(
            Script.QUOTAS_GET,
            List.of(
                bytes(Keys.quota(project)),
                bytes(Keys.queueRegistry(project)),
                bytes(Keys.brokerChannels(project)),
                bytes(Keys.quotaUsage(project))),
            List.of()));
  }

  /** Takes up to {@code wanted} (1 to 1,000,000) tokens from the project's request-rate bucket. */
  public Tokens take(String project, long wanted) {
    return Tokens.decode(
        scripts.call(
            Script.QUOTAS_TAKE,
            List.of(bytes(Keys.quota(project))),
            List.of(bytes(Long.toString(wanted)))));
  }

  /**
   * Lists a queue about to be created in its project's registry, {@code QUOTA} when the project's
   * max_queues is reached; true when it was not listed before. An entry whose queue is never
   * created counts until the collector's next round drops it.
   */
  public boolean admitQueue(QueueRef queue) {
    boolean listed =
        Replies.asLong(
                scripts.call(
                    Script.QUOTAS_ADMIT_QUEUE,
                    List.of(
                        bytes(Keys.quota(queue.project())),
                        bytes(Keys.queueRegistry(queue.project()))),
                    List.of(bytes(queue.name()))))
            == 1;
    if (listed) {
      // So that the collector visits the project and drops the entry should the queue never be
      // created (a refused post, a gateway that died in between).
      redis.zadd(Keys.PROJECTS, 0, queue.project());
    }
    return listed;
  }

  /** Writes the collector's count of a project's stored messages and bytes, measured now. */
  public void recordUsage(String project, long messages, long bytes, long measuredAtMs) {
    redis.hset(
        Keys.quotaUsage(project),
        Map.of(
            "messages", Long.toString(messages),
            "bytes", Long.toString(bytes),
            "at", Long.toString(measuredAtMs)));
  }
}
