package io.kvdb.lua.locks;

import io.kvdb.lua.script.ScriptReply;
import java.time.Duration;
import java.time.Instant;

/**
 * The outcome of one attempt to acquire: whether this token got the lock, the lock as it stands
 * (ours, or the holder's), and how long its lease has left by the Redis clock, which tells a waiter
 * when an unreleased lease will run out without comparing clocks.
 */
public record Acquisition(boolean acquired, LockState lock, Duration leaseLeft) {
  /** Decodes the reply of locks/acquire; the holder's label comes only when another holds it. */
  static Acquisition decode(String name, String ownerLabel, Object result) {
    ScriptReply reply = ScriptReply.of(result);
    boolean acquired = reply.nextFlag();
    long fence = reply.nextLong();
    Instant acquiredAt = reply.nextInstant();
    Instant expiresAt = reply.nextInstant();
    Instant now = reply.nextInstant();
    String holder = acquired ? ownerLabel : reply.nextString();
    LockState state = new LockState(name, true, holder, fence, acquiredAt, expiresAt);
    return new Acquisition(acquired, state, Duration.between(now, expiresAt));
  }
}
