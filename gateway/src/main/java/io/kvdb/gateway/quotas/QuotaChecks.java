package io.kvdb.gateway.quotas;

import io.kvdb.gateway.api.QuotaExceededException;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.quotas.Quota;
import io.kvdb.lua.quotas.QuotaState;
import io.kvdb.lua.quotas.QuotaUsage;
import io.kvdb.lua.quotas.Quotas;
import java.time.Duration;
import java.util.Optional;

/**
 * The quota checks of posts and queue creation. Stored messages and bytes are checked against the
 * usage the collector last measured (so a project overshoots by at most what it posts within one
 * collect interval plus one refresh); queues are admitted exactly, in their registry's slot.
 */
public final class QuotaChecks {
  private final QuotaCache cache;
  private final Quotas quotas;
  private final Duration usageLag;

  /** {@code usageLag}: how long the usage a refusal is based on takes to be measured again. */
  public QuotaChecks(QuotaCache cache, Quotas quotas, Duration usageLag) {
    this.cache = cache;
    this.quotas = quotas;
    this.usageLag = usageLag;
  }

  /**
   * Refuses a post of {@code messages} messages carrying {@code bytes} bytes that would take the
   * project past its max_messages or max_bytes. Returns whether the post may create its queue: not
   * when the project limits its queues, as a new queue must then be {@link #admit admitted} first.
   */
  public boolean checkPost(String project, int messages, long bytes) {
    QuotaState state = cache.get(project);
    Quota quota = state.quota();
    if (quota.limitsStorage()) {
      QuotaUsage usage = state.usage();
      refuseOver(project, "max_messages", quota.maxMessages(), usage.messages(), messages);
      refuseOver(project, "max_bytes", quota.maxBytes(), usage.bytes(), bytes);
    }
    return quota.maxQueues() == 0;
  }

  private void refuseOver(String project, String name, long limit, long used, long adding) {
    if (limit > 0 && used + adding > limit) {
      throw new QuotaExceededException(
          project,
          name,
          "the project stores "
              + used
              + " (as last measured), the post adds "
              + adding
              + ", its quota is "
              + limit,
          Optional.of(usageLag));
    }
  }

  /** Lists a queue about to be created, when its project limits queues; QUOTA when full. */
  public void admitNewQueue(QueueRef queue) {
    if (cache.get(queue.project()).quota().maxQueues() > 0) {
      admit(queue);
    }
  }

  /** Lists a queue about to be created whatever the cache says; QUOTA when the project is full. */
  public void admit(QueueRef queue) {
    quotas.admitQueue(queue);
  }
}
