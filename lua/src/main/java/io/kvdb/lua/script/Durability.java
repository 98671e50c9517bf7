package io.kvdb.lua.script;

import java.time.Duration;

/**
 * Whether an acknowledged write must be on a replica too ("2 copies, RAM only"), and how long to
 * wait for one. Redis replicates asynchronously, so a write acknowledged just before its primary
 * dies can vanish with it; a replicated write is acknowledged only once {@code WAIT} says a replica
 * has it. A queue chooses with its metadata {@code _durability} ({@code memory} or {@code
 * replicated}); queues that do not, and locks, follow the gateway's default.
 */
public record Durability(boolean replicatedByDefault, Duration replicaWait) {
  /** The queue metadata key that chooses a queue's durability. */
  public static final String QUEUE_SETTING = "_durability";

  public static final String MEMORY = "memory";
  public static final String REPLICATED = "replicated";

  /** Writes acknowledged as soon as the primary has them: Redis's own behaviour. */
  public static final Durability IN_MEMORY = new Durability(false, Duration.ofSeconds(1));

  /** Whether a queue with this {@code _durability} value (null or '' when unset) replicates. */
  public boolean replicates(Object queueSetting) {
    if (REPLICATED.equals(queueSetting)) {
      return true;
    }
    return !MEMORY.equals(queueSetting) && replicatedByDefault;
  }
}
