package io.kvdb.conformance.messages;

import static io.kvdb.conformance.messages.Messaging.bodies;
import static io.kvdb.conformance.messages.Messaging.listAll;
import static io.kvdb.conformance.messages.Messaging.listing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import io.kvdb.client.KvdbException;
import io.kvdb.client.MessagePublisher;
import io.kvdb.client.PublisherOptions;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.Message;
import io.kvdb.proto.v1.PostMessagesRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK's batching publisher: single publishes go out as one keyed post per batch, closed by its
 * count, its bytes or its delay; a refused batch fails its own messages alone; flow control bounds
 * what is outstanding; flush waits for every answer and close refuses what follows.
 */
class MessagePublisherTest extends ProjectScopedTest {
  /** Long enough that only the count or the byte limit closes a batch in these tests. */
  private static final Duration NEVER = Duration.ofMinutes(5);

  private final PostCounter posts = new PostCounter();
  private ManagedChannel watched;
  private KvdbClient client;

  @BeforeEach
  void watchPosts() {
    watched =
        ManagedChannelBuilder.forTarget(KvdbTarget.address())
            .usePlaintext()
            .intercept(posts)
            .build();
    client =
        KvdbClient.create(
            KvdbClientOptions.newBuilder().setChannel(watched).setProject(project).build());
  }

  @AfterEach
  void closeWatched() {
    client.close();
    watched.shutdownNow();
  }

  @Test
  void fullBatchesGoOutInOrderOnePostEach() throws Exception {
    PublisherOptions options =
        PublisherOptions.newBuilder()
            .setMaxBatchMessages(10)
            .setMaxBatchDelay(NEVER)
            .setMaxBatchesInFlight(1)
            .build();
    List<CompletableFuture<String>> ids = new ArrayList<>();
    List<String> sent = Messaging.numbered(25);
    try (MessagePublisher publisher = client.messages().publisher("jobs", options)) {
      sent.forEach(body -> ids.add(publisher.publish(body)));
    }

    assertEquals(List.of(10, 10, 5), posts.batchSizes(), "close sent the last, partial batch");
    List<Message> stored = listAll(kvdb, listing("jobs").build());
    assertEquals(sent, bodies(stored));
    assertEquals(stored.stream().map(Message::getId).toList(), joined(ids));
  }

  @Test
  void aBatchGoesWhenItsDelayEndsWithoutFlush() throws Exception {
    PublisherOptions options =
        PublisherOptions.newBuilder().setMaxBatchDelay(Duration.ofMillis(20)).build();
    try (MessagePublisher publisher = client.messages().publisher("jobs", options)) {
      List<CompletableFuture<String>> ids =
          List.of(publisher.publish("a"), publisher.publish("b"), publisher.publish("c"));
      joined(ids);
      assertEquals(List.of(3), posts.batchSizes());
    }
  }

  @Test
  void theByteLimitClosesABatchAndAMessageOverItFailsAlone() throws Exception {
    PublisherOptions options =
        PublisherOptions.newBuilder().setMaxBatchBytes(100).setMaxBatchDelay(NEVER).build();
    String forty = "x".repeat(40);
    try (MessagePublisher publisher = client.messages().publisher("jobs", options)) {
      List<CompletableFuture<String>> ids = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        ids.add(publisher.publish(forty));
      }
      CompletableFuture<String> tooBig = publisher.publish("y".repeat(101));
      publisher.flush();

      joined(ids);
      ExecutionException refused = assertThrows(ExecutionException.class, tooBig::get);
      assertInstanceOf(IllegalArgumentException.class, refused.getCause());
      assertTrue(refused.getCause().getMessage().contains("maxBatchBytes"));
    }
    assertEquals(List.of(2, 2, 1), posts.batchSizes());
    assertEquals(5, queues.stats("jobs").getTotal());
  }

  @Test
  void aRefusedBatchFailsItsOwnMessagesAndLaterBatchesStillGo() throws Exception {
    queues.create("small", Map.of("_max_messages_post_size", 50));
    PublisherOptions options =
        PublisherOptions.newBuilder()
            .setMaxBatchMessages(2)
            .setMaxBatchDelay(NEVER)
            .setMaxBatchesInFlight(1)
            .build();
    List<CompletableFuture<String>> refused;
    List<CompletableFuture<String>> stored;
    try (MessagePublisher publisher = client.messages().publisher("small", options)) {
      refused = List.of(publisher.publish("a".repeat(30)), publisher.publish("b".repeat(30)));
      stored = List.of(publisher.publish("c"), publisher.publish("d"));
    }

    for (CompletableFuture<String> id : refused) {
      ExecutionException failure = assertThrows(ExecutionException.class, id::get);
      KvdbException kvdb = assertInstanceOf(KvdbException.class, failure.getCause());
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, kvdb.code(), kvdb.toString());
    }
    joined(stored);
    assertEquals(List.of("c", "d"), bodies(listAll(kvdb, listing("small").build())));
  }

  @Test
  void flowControlKeepsNoMoreOutstandingThanAllowed() throws Exception {
    PublisherOptions options =
        PublisherOptions.newBuilder()
            .setMaxBatchMessages(1)
            .setMaxOutstandingMessages(1)
            .setMaxBatchesInFlight(4)
            .build();
    List<CompletableFuture<String>> ids = new ArrayList<>();
    try (MessagePublisher publisher = client.messages().publisher("jobs", options)) {
      for (int i = 0; i < 30; i++) {
        ids.add(publisher.publish("m" + i));
      }
    }

    assertEquals(30, joined(ids).size());
    assertEquals(1, posts.mostAtOnce(), "one outstanding message allows one post at a time");
    assertEquals(30, queues.stats("jobs").getTotal());
  }

  @Test
  void flushWaitsForEveryAnswerAndCloseRefusesWhatFollows() throws Exception {
    PublisherOptions options = PublisherOptions.newBuilder().setMaxBatchDelay(NEVER).build();
    MessagePublisher publisher = client.messages().publisher("jobs", options);
    List<CompletableFuture<String>> ids = List.of(publisher.publish("a"), publisher.publish("b"));
    publisher.flush();
    assertTrue(ids.stream().allMatch(CompletableFuture::isDone), "flush returned before answers");
    assertEquals(2, queues.stats("jobs").getTotal());

    publisher.close();
    assertThrows(IllegalStateException.class, () -> publisher.publish("late"));
    assertEquals(List.of(2), posts.batchSizes());
  }

  private static List<String> joined(List<CompletableFuture<String>> ids) throws Exception {
    List<String> values = new ArrayList<>();
    for (CompletableFuture<String> id : ids) {
      values.add(id.get(10, TimeUnit.SECONDS));
    }
    return values;
  }

  /** Notes the size of every post sent and the most posts awaiting their answer at once. */
  private static final class PostCounter implements ClientInterceptor {
    private final List<Integer> sizes = new ArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger most = new AtomicInteger();

    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(
        MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
      return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
        private boolean post;

        @Override
        public void start(Listener<A> listener, Metadata headers) {
          super.start(
              new SimpleForwardingClientCallListener<>(listener) {
                @Override
                public void onClose(Status status, Metadata trailers) {
                  if (post) {
                    open.decrementAndGet();
                  }
                  super.onClose(status, trailers);
                }
              },
              headers);
        }

        @Override
        public void sendMessage(Q message) {
          if (message instanceof PostMessagesRequest request) {
            post = true;
            most.accumulateAndGet(open.incrementAndGet(), Math::max);
            synchronized (sizes) {
              sizes.add(request.getMessagesCount());
            }
          }
          super.sendMessage(message);
        }
      };
    }

    List<Integer> batchSizes() {
      synchronized (sizes) {
        return List.copyOf(sizes);
      }
    }

    int mostAtOnce() {
      return most.get();
    }
  }
}
