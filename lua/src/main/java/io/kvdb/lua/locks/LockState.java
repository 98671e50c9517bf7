package io.kvdb.lua.locks;

import io.kvdb.lua.script.ScriptReply;
import java.time.Instant;

/**
 * A lock as others see it (never its token). When not held, {@code fence} is the last one issued
 * and the label and times are empty.
 */
public record LockState(
    String name,
    boolean held,
    String ownerLabel,
    long fence,
    Instant acquiredAt,
    Instant expiresAt) {
  static LockState free(String name, long lastFence) {
    return new LockState(name, false, "", lastFence, null, null);
  }

  /** Decodes the reply of locks/get. */
  static LockState decode(String name, Object result) {
    ScriptReply reply = ScriptReply.of(result);
    if (!reply.nextFlag()) {
      return free(name, reply.nextLong());
    }
    return readHeld(name, reply);
  }

  /**
   * Reads a held lock's fields as locks/get and locks/list give them: fence, acquired_ms,
   * expires_ms, owner_label.
   */
  static LockState readHeld(String name, ScriptReply reply) {
    long fence = reply.nextLong();
    Instant acquiredAt = reply.nextInstant();
    Instant expiresAt = reply.nextInstant();
    String ownerLabel = reply.nextString();
    return new LockState(name, true, ownerLabel, fence, acquiredAt, expiresAt);
  }
}
