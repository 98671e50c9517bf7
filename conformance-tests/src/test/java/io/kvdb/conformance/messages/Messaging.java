package io.kvdb.conformance.messages;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.kvdb.client.ClaimOptions;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import io.kvdb.client.ListMessagesOptions;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.ListMessagesRequest;
import io.kvdb.proto.v1.ListMessagesResponse;
import io.kvdb.proto.v1.Message;
import io.kvdb.proto.v1.NewMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Small helpers the message and claim tests share. */
public final class Messaging {
  /** A claim TTL (and grace) no test outlives. */
  public static final Duration HOLD = Duration.ofSeconds(60);

  /** How long a test polls for something the gateway does in the background. */
  private Messaging() {}

  public static List<String> ids(List<Message> messages) {
    return messages.stream().map(Message::getId).toList();
  }

  public static List<String> ids(Claim claim) {
    return ids(claim.getMessagesList());
  }

  public static List<String> bodies(List<Message> messages) {
    return messages.stream().map(message -> message.getBody().toStringUtf8()).toList();
  }

  public static NewMessage text(String body) {
    return NewMessage.newBuilder().setBody(ByteString.copyFromUtf8(body)).build();
  }

  public static NewMessage text(String body, Duration ttl) {
    return text(body).toBuilder().setTtl(Durations.fromMillis(ttl.toMillis())).build();
  }

  public static NewMessage delayed(String body, Duration delay) {
    return text(body).toBuilder().setDelay(Durations.fromMillis(delay.toMillis())).build();
  }

  public static List<String> numbered(int count) {
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      bodies.add("m" + i);
    }
    return bodies;
  }

  /** Claims without waiting, holding for {@link #HOLD}. */
  public static Claim claim(KvdbClient kvdb, String queue, int limit) {
    return kvdb.claims()
        .create(
            queue,
            ClaimOptions.newBuilder()
                .setLimit(limit)
                .setTtl(HOLD)
                .setMaxWait(Duration.ZERO)
                .build());
  }

  /** Claims without waiting for {@code ttl}, with the given grace. */
  public static Claim claim(
      KvdbClient kvdb, String queue, int limit, Duration ttl, Duration grace) {
    return kvdb.claims()
        .create(
            queue,
            ClaimOptions.newBuilder()
                .setLimit(limit)
                .setTtl(Duration.ofMillis(ttl.toMillis()))
                .setGrace(Duration.ofMillis(grace.toMillis()))
                .build());
  }

  /** Every page of a listing, following the tokens. */
  public static List<Message> listAll(KvdbClient kvdb, ListMessagesRequest first) {
    List<Message> all = new ArrayList<>();
    ListMessagesRequest request = first;
    while (true) {
      ListMessagesResponse page = list(kvdb, request);
      all.addAll(page.getMessagesList());
      if (page.getNextPageToken().isEmpty()) {
        return all;
      }
      request = request.toBuilder().setPageToken(page.getNextPageToken()).build();
    }
  }

  /** Lists as the request says (the queue and the options the SDK takes apart). */
  public static ListMessagesResponse list(KvdbClient kvdb, ListMessagesRequest request) {
    return kvdb.messages()
        .list(
            request.getQueue(),
            ListMessagesOptions.newBuilder()
                .setEcho(request.getEcho())
                .setIncludeClaimed(request.getIncludeClaimed())
                .setIncludeDelayed(request.getIncludeDelayed())
                .setPageSize(request.getPageSize())
                .setPageToken(request.getPageToken())
                .build());
  }

  public static ListMessagesRequest.Builder listing(String queue) {
    return ListMessagesRequest.newBuilder().setQueue(queue).setEcho(true);
  }

  /** A client of {@code project} that identifies itself as {@code clientId}. */
  public static KvdbClient client(String project, String clientId) {
    return KvdbClient.create(
        KvdbClientOptions.newBuilder()
            .setTarget(KvdbTarget.address())
            .setProject(project)
            .setClientId(clientId)
            .build());
  }

  /**
   * Waits until the message's (or a claim's) expire time has passed by the Redis clock's account.
   */
  public static void sleepPast(com.google.protobuf.Timestamp expireTime) {
    Eventually.clockPasses(Timestamps.toMillis(expireTime) + 50);
  }

  /** Polls until the condition holds, failing after a few seconds. */
  public static void eventually(String what, BooleanSupplier condition) {
    Eventually.await(what, condition);
  }
}
