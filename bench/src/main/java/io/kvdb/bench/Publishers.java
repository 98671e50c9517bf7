package io.kvdb.bench;

import io.kvdb.client.KvdbClient;
import io.kvdb.client.MessagePublisher;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SDK publishers of {@code messages --post publisher}: one per client and queue, shared by the
 * producers that use that client, as an application shares one per queue. Closing flushes them.
 */
final class Publishers implements AutoCloseable {
  private final List<KvdbClient> clients;
  private final Map<String, MessagePublisher> byClientAndQueue = new ConcurrentHashMap<>();

  Publishers(List<KvdbClient> clients) {
    this.clients = clients;
  }

  MessagePublisher of(int client, String queue) {
    return byClientAndQueue.computeIfAbsent(
        client + "/" + queue, key -> clients.get(client).messages().publisher(queue));
  }

  @Override
  public void close() {
    byClientAndQueue.values().forEach(MessagePublisher::close);
  }
}
