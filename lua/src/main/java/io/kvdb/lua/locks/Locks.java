package io.kvdb.lua.locks;

import static io.kvdb.lua.Keys.bytes;

import io.kvdb.lua.Keys;
import io.kvdb.lua.script.Durability;
import io.kvdb.lua.script.Replies;
import io.kvdb.lua.script.Script;
import io.kvdb.lua.script.ScriptRegistry;
import java.time.Duration;
import java.util.List;

/**
 * Leased locks with fencing tokens over the {@code locks/*} scripts: each call is one round trip,
 * and every time comes from the Redis clock.
 */
public final class Locks {
  /** Index entries one list call may examine, so a page's cost stays bounded. */
  static final int LIST_BUDGET = 2000;

  /**
   * How long after a name was last held its fence is forgotten: longer than the longest lease (1
   * day), so a name in daily use keeps consecutive fences.
   */
  public static final Duration FORGET_FENCES_AFTER = Duration.ofDays(2);

  private final ScriptRegistry scripts;
  private final Duration forgetFencesAfter;
  private final Durability durability;

  public Locks(ScriptRegistry scripts) {
    this(scripts, FORGET_FENCES_AFTER, Durability.IN_MEMORY);
  }

  /**
   * With fences forgotten {@code forgetFencesAfter} after a name was last held (shorter in tests).
   * With {@link Durability#replicatedByDefault()}, a lock is granted or extended only once a
   * replica has the grant and its fence, so a failover never hands out a fence twice.
   */
  public Locks(ScriptRegistry scripts, Duration forgetFencesAfter, Durability durability) {
    this.scripts = scripts;
    this.forgetFencesAfter = forgetFencesAfter;
    this.durability = durability;
  }

  /** One attempt: takes the lock for {@code token} if no live lease holds it. */
  public Acquisition acquire(LockRef lock, String token, Duration lease, String ownerLabel) {
    String project = lock.project();
    List<byte[]> keys =
        List.of(
            bytes(Keys.lock(lock)),
            bytes(Keys.lockFences(project)),
            bytes(Keys.lockNames(project)),
            bytes(Keys.lockFenceAges(project)),
            bytes(Keys.lockFenceFloor(project)));
    List<byte[]> args =
        List.of(
            bytes(lock.name()),
            bytes(token),
            bytes(Long.toString(lease.toMillis())),
            bytes(ownerLabel),
            bytes(Long.toString(forgetFencesAfter.toMillis())));
    return scripts.callReplicated(
        Script.LOCKS_ACQUIRE,
        keys,
        args,
        result -> Acquisition.decode(lock.name(), ownerLabel, result),
        durability.replicatedByDefault() ? Acquisition::acquired : ScriptRegistry.NEVER,
        durability.replicaWait());
  }

  /** Extends the lease to {@code lease} from now; {@code NOT_OWNER} unless the token holds it. */
  public LockLease renew(LockRef lock, String token, Duration lease) {
    return scripts.callReplicated(
        Script.LOCKS_RENEW,
        List.of(bytes(Keys.lock(lock))),
        List.of(bytes(token), bytes(Long.toString(lease.toMillis()))),
        LockLease::decode,
        durability.replicatedByDefault() ? renewed -> true : ScriptRegistry.NEVER,
        durability.replicaWait());
  }

  /**
   * Releases the lock and publishes {@code announcement} on {@link Keys#LOCK_RELEASED_CHANNEL};
   * {@code NOT_OWNER} unless the token holds it. Returns the fence it held.
   */
  public long release(LockRef lock, String token, String announcement) {
    List<byte[]> keys =
        List.of(
            bytes(Keys.lock(lock)),
            bytes(Keys.lockNames(lock.project())),
            bytes(Keys.lockFenceAges(lock.project())));
    List<byte[]> args =
        List.of(
            bytes(token),
            bytes(lock.name()),
            bytes(Keys.LOCK_RELEASED_CHANNEL),
            bytes(announcement));
    return Replies.asLong(scripts.call(Script.LOCKS_RELEASE, keys, args));
  }

  public LockState get(LockRef lock) {
    List<byte[]> keys = List.of(bytes(Keys.lock(lock)), bytes(Keys.lockFences(lock.project())));
    return LockState.decode(
        lock.name(), scripts.call(Script.LOCKS_GET, keys, List.of(bytes(lock.name()))));
  }

  /** Up to {@code limit} held locks after {@code after} (null: from the first) in name order. */
  public LockPage list(String project, String after, int limit) {
    List<byte[]> keys = List.of(bytes(Keys.lockNames(project)), bytes(Keys.lockPrefix(project)));
    List<byte[]> args =
        List.of(
            bytes(after == null ? "" : after),
            bytes(Integer.toString(limit)),
            bytes(Integer.toString(LIST_BUDGET)));
    return LockPage.decode(scripts.call(Script.LOCKS_LIST, keys, args));
  }
}
