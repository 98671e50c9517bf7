/**
 * Leased locks with fencing tokens over {@code lua/scripts/locks/}: {@code Locks} acquires (with
 * the next fence for the name), renews, releases (announcing it, so waiters on every gateway wake),
 * reads and lists. A project's lock keys share the tag {@code {project}}, so a lock, its fence
 * counter and the project's index of held locks change in one script; every time comes from the
 * Redis clock. The gateway's {@code locks} package serves this one as {@code kvdb.v1.LockService},
 * and its background jobs take one of these locks to run on one gateway only.
 */
package io.kvdb.lua.locks;
