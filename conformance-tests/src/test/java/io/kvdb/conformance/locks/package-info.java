/**
 * Conformance of {@code kvdb.v1.LockService} ({@code locks.proto}) and the SDK's lock watchdog:
 * leases, fences, ownership and waiting one client at a time, and mutual exclusion with strictly
 * rising fences under contention, checked by invariants rather than timing.
 */
package io.kvdb.conformance.locks;
