package io.kvdb.client;

import io.kvdb.proto.v1.Lock;

/**
 * {@link LockClient#acquire} waited its time and the lock was still held by another.
 *
 * <pre>{@code
 * try (HeldLock lock = kvdb.locks().acquire("deploy", Duration.ofSeconds(30))) {
 *   deploy(lock.fence());
 * } catch (LockNotAcquiredException held) {
 *   log("deploying already: " + held.current().getOwnerLabel());
 * }
 * }</pre>
 */
public final class LockNotAcquiredException extends RuntimeException {
  private final Lock current;

  LockNotAcquiredException(Lock current) {
    super("lock " + current.getName() + " is held by '" + current.getOwnerLabel() + "'");
    this.current = current;
  }

  /** The lock as it stood at the last attempt: its holder and when the lease ends. */
  public Lock current() {
    return current;
  }
}
