package io.kvdb.lua.lock;

import java.time.Instant;

/** A renewed lease: the holder's fence and the new expiry (Redis clock). */
public record LockLease(long fence, Instant expiresAt) {}
