package io.kvdb.lua.script;

import java.time.Duration;

/**
 * A write that had to reach a replica before being acknowledged did not within its wait: it is on
 * the primary, and a failover now may lose it. Worth retrying (a post with its idempotency key
 * stores nothing twice).
 */
public final class NotReplicatedException extends RuntimeException {
  public NotReplicatedException(Duration wait) {
    super("no replica confirmed the write within " + wait.toMillis() + " ms");
  }
}
