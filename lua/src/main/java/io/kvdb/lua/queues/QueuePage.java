package io.kvdb.lua.queues;

import java.util.List;

/**
 * One page of a project's queues, in name order, and the registry entry to continue after (null
 * when none follow). That entry may be one the page skipped (its queue is gone), so a page of
 * skipped entries still leads on.
 */
public record QueuePage(List<QueueInfo> queues, String nextAfter) {
  public QueuePage {
    queues = List.copyOf(queues);
  }

  public boolean hasMore() {
    return nextAfter != null;
  }
}
