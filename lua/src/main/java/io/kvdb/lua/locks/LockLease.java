package io.kvdb.lua.locks;

import java.time.Instant;

/** A renewed lease: the holder's fence and the new expiry (Redis clock). */
public record LockLease(long fence, Instant expiresAt) {}
