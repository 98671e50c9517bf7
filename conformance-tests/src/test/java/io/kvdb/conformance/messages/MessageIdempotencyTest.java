package io.kvdb.conformance.messages;

import static io.kvdb.conformance.messages.Messaging.bodies;
import static io.kvdb.conformance.messages.Messaging.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import io.kvdb.client.KvdbException;
import io.kvdb.client.PostOptions;
import io.kvdb.conformance.Expect;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.proto.v1.MessageServiceGrpc;
import io.kvdb.proto.v1.PostMessagesRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Posts with an idempotency key: stored once per key, queue and window, with the first post's ids;
 * the SDK keys every post afresh, so its retries (which replay the request) store once.
 */
class MessageIdempotencyTest extends ProjectScopedTest {
  private static final PostOptions ORDER_42 =
      PostOptions.newBuilder().setIdempotencyKey("order:42").build();

  @Test
  void theSameKeyTwiceStoresOnceAndAnswersTheSameIds() {
    List<String> first = kvdb.messages().post("jobs", List.of(text("first")), ORDER_42);
    List<String> again =
        kvdb.messages().post("jobs", List.of(text("other"), text("batch")), ORDER_42);

    assertEquals(first, again, "the batch is not compared");
    assertEquals(1, queues.stats("jobs").getTotal());
    assertEquals(List.of("first"), bodies(kvdb.messages().get("jobs", first)));
  }

  @Test
  void aKeyBelongsToItsQueueAndProject() {
    List<String> here = kvdb.messages().post("jobs", List.of(text("x")), ORDER_42);
    List<String> otherQueue = kvdb.messages().post("other", List.of(text("x")), ORDER_42);
    List<String> otherProject;
    try (KvdbClient stranger = KvdbTarget.newClient()) {
      otherProject = stranger.messages().post("jobs", List.of(text("x")), ORDER_42);
      assertEquals(1, stranger.queues().stats("jobs").getTotal());
    }

    assertNotEquals(here, otherQueue);
    assertNotEquals(here, otherProject);
    assertEquals(1, queues.stats("other").getTotal());
  }

  @Test
  void aKeyThatCouldNotBeOneIsInvalidNamingTheField() {
    for (String bad : List.of("a/b", "{tag}", "k".repeat(129), "key with spaces", "clé")) {
      PostMessagesRequest request =
          PostMessagesRequest.newBuilder()
              .setQueue("jobs")
              .addMessages(text("x"))
              .setIdempotencyKey(bad)
              .build();
      Expect.invalid("idempotency_key", () -> rawPost(kvdb.channel(), request));
    }
    Expect.notFound(() -> queues.get("jobs")); // nothing was posted
  }

  @Test
  void theSdkKeysEveryPostAfreshSoTwoIdenticalPostsBothStore() {
    List<String> first = kvdb.messages().post("jobs", "same");
    List<String> second = kvdb.messages().post("jobs", "same");

    assertNotEquals(first, second);
    assertEquals(2, queues.stats("jobs").getTotal());
  }

  @Test
  void aReplayOfTheSdksRequestAsGrpcRetriesSendStoresOnce() {
    List<PostMessagesRequest> sent = new ArrayList<>();
    ManagedChannel watched = watchedChannel(sent);
    try (KvdbClient client = clientOver(watched, true)) {
      List<String> ids = client.messages().post("jobs", "once");
      PostMessagesRequest request = sent.get(0);
      UUID.fromString(request.getIdempotencyKey()); // a random UUID

      assertEquals(ids, rawPost(client.channel(), request).getMessageIdsList());
      assertEquals(1, queues.stats("jobs").getTotal());
    } finally {
      watched.shutdownNow();
    }
  }

  @Test
  void withKeysOffTheSdkSendsNoneUnlessTheOptionsGiveOne() {
    List<PostMessagesRequest> sent = new ArrayList<>();
    ManagedChannel watched = watchedChannel(sent);
    try (KvdbClient client = clientOver(watched, false)) {
      client.messages().post("jobs", "unkeyed");
      client.messages().post("jobs", List.of(text("keyed")), ORDER_42);

      assertEquals("", sent.get(0).getIdempotencyKey());
      assertEquals("order:42", sent.get(1).getIdempotencyKey());
    } finally {
      watched.shutdownNow();
    }
  }

  @Test
  void afterTheWindowTheKeyPostsAgain() {
    assumeTrue(KvdbTarget.allowsShortTtls(), "needs a gateway of its own with a short window");
    try (Gateway brief = KvdbTarget.ownGateway("--idempotency-window-ms", "200");
        KvdbClient client =
            KvdbClient.create(
                KvdbClientOptions.newBuilder()
                    .setTarget("127.0.0.1:" + brief.port())
                    .setProject(project)
                    .build())) {
      List<String> first = client.messages().post("jobs", List.of(text("x")), ORDER_42);
      Messaging.eventually(
          "the key is forgotten",
          () -> !client.messages().post("jobs", List.of(text("x")), ORDER_42).equals(first));
      assertEquals(2, queues.stats("jobs").getTotal(), "repeats within the window stored nothing");
    }
  }

  private static io.kvdb.proto.v1.PostMessagesResponse rawPost(
      Channel channel, PostMessagesRequest request) {
    try {
      return MessageServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .postMessages(request);
    } catch (RuntimeException failure) {
      throw KvdbException.from(failure);
    }
  }

  private KvdbClient clientOver(ManagedChannel channel, boolean postIdempotencyKeys) {
    return KvdbClient.create(
        KvdbClientOptions.newBuilder()
            .setChannel(channel)
            .setProject(project)
            .setPostIdempotencyKeys(postIdempotencyKeys)
            .build());
  }

  /** A channel to the gateway that notes every post it sends. */
  private static ManagedChannel watchedChannel(List<PostMessagesRequest> sent) {
    ClientInterceptor notePosts =
        new ClientInterceptor() {
          @Override
          public <Q, A> ClientCall<Q, A> interceptCall(
              MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
            return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
              @Override
              public void sendMessage(Q message) {
                if (message instanceof PostMessagesRequest post) {
                  synchronized (sent) {
                    sent.add(post);
                  }
                }
                super.sendMessage(message);
              }
            };
          }
        };
    return ManagedChannelBuilder.forTarget(KvdbTarget.address())
        .usePlaintext()
        .intercept(notePosts)
        .build();
  }
}
