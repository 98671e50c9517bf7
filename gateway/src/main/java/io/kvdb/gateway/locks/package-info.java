/**
 * {@code kvdb.v1.LockService} ({@code locks.proto}) over {@code io.kvdb.lua.locks} and {@code
 * lua/scripts/locks/}: {@code LockService} validates names, leases and waits; acquires, waiting
 * when asked until a release on any gateway wakes it or the holder's lease runs out ({@code
 * io.kvdb.gateway.wait}); and renews, releases, reads and lists. A lock acquired for a caller that
 * went away meanwhile is released at once.
 */
package io.kvdb.gateway.locks;
