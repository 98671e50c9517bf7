package io.kvdb.lua.locks;

import java.time.Duration;

/**
 * The outcome of one attempt to acquire: whether this token got the lock, the lock as it stands
 * (ours, or the holder's), and how long its lease has left by the Redis clock, which tells a
 * waiter when an unreleased lease will run out without comparing clocks.
 */
public record Acquisition(boolean acquired, LockState lock, Duration leaseLeft) {}
