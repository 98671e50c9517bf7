package io.kvdb.lua.locks;

import io.kvdb.lua.script.ScriptReply;
import java.time.Instant;

/** A renewed lease: the holder's fence and the new expiry (Redis clock). */
public record LockLease(long fence, Instant expiresAt) {
  /** Decodes the reply of locks/renew. */
  static LockLease decode(Object result) {
    ScriptReply reply = ScriptReply.of(result);
    long fence = reply.nextLong();
    return new LockLease(fence, reply.nextInstant());
  }
}
