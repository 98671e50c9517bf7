package io.kvdb.lua.queue;

import java.util.List;

/** One page of a project's queues, in name order, and whether more follow the last one. */
public record QueuePage(List<QueueInfo> queues, boolean hasMore) {
  public QueuePage {
    queues = List.copyOf(queues);
  }
}
