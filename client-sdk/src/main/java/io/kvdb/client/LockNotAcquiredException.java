package io.kvdb.client;

/** {@link LockClient#acquire} waited its time and the lock was still held by another. */
public final class LockNotAcquiredException extends RuntimeException {
  private final io.kvdb.proto.v1.Lock current;

  LockNotAcquiredException(io.kvdb.proto.v1.Lock current) {
    super("lock " + current.getName() + " is held by '" + current.getOwnerLabel() + "'");
    this.current = current;
  }

  /** The lock as it stood at the last attempt: its holder and when the lease ends. */
  public io.kvdb.proto.v1.Lock current() {
    return current;
  }
}
