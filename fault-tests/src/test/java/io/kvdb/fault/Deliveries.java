package io.kvdb.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every delivery of every message, with the source that delivered it (a Consume stream, a claim, a
 * Subscribe stream) and when; which sources ended and when; which deliveries the gateway confirmed
 * as settled. From these it tells a repeat that at-least-once allows from one it does not.
 */
final class Deliveries {
  record Delivery(String id, String source, long nanos) {}

  private final Map<String, List<Delivery>> byId = new ConcurrentHashMap<>();
  private final Map<String, Long> ended = new ConcurrentHashMap<>();
  private final Set<String> settled = ConcurrentHashMap.newKeySet();

  void delivered(String id, String source) {
    Delivery delivery = new Delivery(id, source, System.nanoTime());
    byId.compute(
        id,
        (key, list) -> {
          List<Delivery> updated = list == null ? new ArrayList<>() : list;
          updated.add(delivery);
          return updated;
        });
  }

  /** The source broke or closed: what it held may go to others at once. */
  void ended(String source) {
    ended.putIfAbsent(source, System.nanoTime());
  }

  /** The gateway answered OK to deleting these messages under this source's claim. */
  void settled(Collection<String> ids, String source) {
    ids.forEach(id -> settled.add(id + " " + source));
  }

  boolean has(String id) {
    return byId.containsKey(id);
  }

  int messages() {
    return byId.size();
  }

  long deliveries() {
    return byId.values().stream().mapToLong(List::size).sum();
  }

  long repeats() {
    return deliveries() - messages();
  }

  /**
   * Repeats at-least-once does not allow: a message delivered again after the gateway confirmed its
   * deletion, or while the earlier delivery's source was still alive and its hold (claim TTL, less
   * {@code slack} for the time the earlier delivery took to arrive) had not run out. A source that
   * ends hands back what it held at once (Consume's promise). Call it once the load has stopped.
   */
  List<String> unexplainedRepeats(Duration hold, Duration slack) {
    return unexplainedRepeats(hold, slack, true);
  }

  /**
   * As {@link #unexplainedRepeats(Duration, Duration)}, where an ended source hands nothing back
   * early (a broker group).
   */
  List<String> repeatsBeforeHold(Duration hold, Duration slack) {
    return unexplainedRepeats(hold, slack, false);
  }

  private List<String> unexplainedRepeats(Duration hold, Duration slack, boolean endReleases) {
    long allowedAfter = hold.minus(slack).toNanos();
    List<String> unexplained = new ArrayList<>();
    byId.forEach(
        (id, list) -> {
          List<Delivery> sorted =
              list.stream().sorted(Comparator.comparingLong(Delivery::nanos)).toList();
          for (int i = 1; i < sorted.size(); i++) {
            Delivery earlier = sorted.get(i - 1);
            Delivery later = sorted.get(i);
            long gap = later.nanos() - earlier.nanos();
            Long endedAt = ended.get(earlier.source());
            boolean sourceBroke = endReleases && endedAt != null && endedAt <= later.nanos();
            if (settled.contains(id + " " + earlier.source())) {
              unexplained.add(
                  id + " again " + gap / 1_000_000 + " ms after its deletion was confirmed");
            } else if (!sourceBroke && gap < allowedAfter) {
              unexplained.add(
                  id
                      + " again "
                      + gap / 1_000_000
                      + " ms after "
                      + earlier.source()
                      + ", still live");
            }
          }
        });
    return unexplained;
  }
}
