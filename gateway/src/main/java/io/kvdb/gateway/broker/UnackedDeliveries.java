package io.kvdb.gateway.broker;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The group messages one subscription holds unacknowledged, oldest delivery first, and the ids of
 * those it held until they fell overdue (an ack for one of those still counts: the member did
 * handle it). Every message waits the same ack timeout, so delivery order is overdue order and
 * finding what fell overdue costs only what did. The overdue ids are a bounded memory: past {@code
 * overdueLimit} the oldest is forgotten, and a late ack for it is ignored, so the message is
 * redelivered (at least once) instead of the map growing for the stream's life.
 */
final class UnackedDeliveries {
  private record Key(String channel, String id) {}

  private final long timeoutNanos;
  private final int overdueLimit;
  private final LinkedHashMap<Key, Long> live = new LinkedHashMap<>();
  private final LinkedHashMap<Key, Boolean> overdue =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
          return size() > overdueLimit;
        }
      };

  UnackedDeliveries(long timeoutNanos, int overdueLimit) {
    this.timeoutNanos = timeoutNanos;
    this.overdueLimit = overdueLimit;
  }

  /** Delivered (again) now: it is held until acknowledged or overdue. */
  void delivered(String channel, String id, long now) {
    Key key = new Key(channel, id);
    overdue.remove(key);
    live.remove(key);
    live.put(key, now);
  }

  /** Whether this subscription holds, or held until it fell overdue, the message; forgets it. */
  boolean acknowledged(String channel, String id) {
    Key key = new Key(channel, id);
    return live.remove(key) != null | overdue.remove(key) != null;
  }

  /** How many are held and not yet overdue. */
  int live(long now) {
    expire(now);
    return live.size();
  }

  /** Nanoseconds until the oldest held message falls overdue (0 when none is held). */
  long untilOverdue(long now) {
    expire(now);
    Iterator<Long> oldest = live.values().iterator();
    return oldest.hasNext() ? oldest.next() + timeoutNanos - now : 0;
  }

  /**
   * Ids remembered in all, live and overdue: never more than max_unacked plus the overdue limit.
   */
  int remembered() {
    return live.size() + overdue.size();
  }

  private void expire(long now) {
    Iterator<Map.Entry<Key, Long>> oldest = live.entrySet().iterator();
    while (oldest.hasNext()) {
      Map.Entry<Key, Long> entry = oldest.next();
      if (now - entry.getValue() < timeoutNanos) {
        return;
      }
      overdue.put(entry.getKey(), Boolean.TRUE);
      oldest.remove();
    }
  }
}
