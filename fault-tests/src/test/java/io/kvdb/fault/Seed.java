package io.kvdb.fault;

import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.Channel;
import io.kvdb.client.DictionaryClient;
import io.kvdb.client.KvdbClient;
import io.kvdb.proto.v1.AcquireLockRequest;
import io.kvdb.proto.v1.GetLockRequest;
import io.kvdb.proto.v1.Lock;
import io.kvdb.proto.v1.LockServiceGrpc;
import io.kvdb.proto.v1.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Data created before a fault and checked after it, through the API: a queue with metadata and a
 * stored message, a held lock and its fence, and a dictionary entry with its translation.
 */
record Seed(String messageId, long lockFence) {
  static final String QUEUE = "seed";
  static final String LOCK = "seed-lock";
  private static final Map<String, Object> METADATA = Map.of("owner", "ops", "_max_claim_count", 5);

  /** Plants the data in the client's project; {@code channel} is scoped to the same project. */
  static Seed plant(KvdbClient client, Channel channel) {
    client.queues().create(QUEUE, METADATA);
    String id =
        client
            .messages()
            .post(
                QUEUE,
                List.of(
                    io.kvdb.proto.v1.NewMessage.newBuilder()
                        .setBody(com.google.protobuf.ByteString.copyFromUtf8("seed-body"))
                        .setTtl(Duration.newBuilder().setSeconds(600))
                        .build()))
            .get(0);
    long fence =
        LockServiceGrpc.newBlockingStub(channel)
            .acquire(
                AcquireLockRequest.newBuilder()
                    .setName(LOCK)
                    .setTtl(Duration.newBuilder().setSeconds(600))
                    .setOwnerLabel("seed")
                    .build())
            .getHandle()
            .getFence();
    var usd = DictionaryClient.entry("CRM", "currency", "USD");
    var code = DictionaryClient.entry("ACCOUNTING", "currency", "840");
    client.dictionaries().putEntries(List.of(usd, code));
    client.dictionaries().putTranslations(List.of(DictionaryClient.translation(usd, code)));
    return new Seed(id, fence);
  }

  /**
   * What differs from what was planted; empty when all is intact. A failed call counts as a
   * difference.
   */
  List<String> damage(KvdbClient client, Channel channel) {
    List<String> damage = new ArrayList<>();
    try {
      Struct metadata = client.queues().get(QUEUE).getMetadata();
      if (!"ops"
              .equals(
                  metadata.getFieldsOrDefault("owner", Value.getDefaultInstance()).getStringValue())
          || metadata
                  .getFieldsOrDefault("_max_claim_count", Value.getDefaultInstance())
                  .getNumberValue()
              != 5) {
        damage.add("queue metadata is " + metadata);
      }
      List<Message> messages = client.messages().get(QUEUE, List.of(messageId));
      if (messages.size() != 1 || !messages.get(0).getBody().toStringUtf8().equals("seed-body")) {
        damage.add("seed message is " + messages);
      }
      Lock lock =
          LockServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(5, java.util.concurrent.TimeUnit.SECONDS)
              .getLock(GetLockRequest.newBuilder().setName(LOCK).build());
      if (!lock.getHeld() || lock.getFence() != lockFence || !lock.getOwnerLabel().equals("seed")) {
        damage.add(
            "seed lock is " + lock.toString().replace('\n', ' ') + ", fence was " + lockFence);
      }
      Optional<String> translated =
          client.dictionaries().translate("CRM", "currency", "USD", "ACCOUNTING");
      if (!translated.equals(Optional.of("840"))) {
        damage.add("translation is " + translated);
      }
    } catch (RuntimeException failure) {
      damage.add("checking failed: " + failure);
    }
    return damage;
  }
}
