package io.kvdb.lua.locks;

import java.time.Instant;

/**
 * A lock as others see it (never its token). When not held, {@code fence} is the last one
 * issued and the label and times are empty.
 */
public record LockState(String name, boolean held, String ownerLabel, long fence, Instant acquiredAt, Instant expiresAt) {
  static LockState free(String name, long lastFence) {
    return new LockState(name, false, "", lastFence, null, null);
  }
}
