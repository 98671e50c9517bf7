package io.kvdb.conformance.claims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.proto.v1.ClaimServiceGrpc;
import io.kvdb.proto.v1.ConsumeRequest;
import io.kvdb.proto.v1.ConsumeResponse;
import io.kvdb.proto.v1.ConsumeStart;
import io.kvdb.proto.v1.Message;
import io.kvdb.proto.v1.MessageIds;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Consume stream: credit-based pushes, acks, releases, and release when the stream ends. */
class ConsumeStreamTest extends ProjectScopedTest {
  private ManagedChannel channel;

  @BeforeEach
  void openChannel() {
    channel = ManagedChannelBuilder.forTarget(KvdbTarget.address()).usePlaintext().build();
  }

  @AfterEach
  void closeChannel() {
    channel.shutdownNow();
  }

  /** One open stream, seen from the client. */
  private final class Stream implements StreamObserver<ConsumeResponse> {
    final LinkedBlockingQueue<ConsumeResponse> pushes = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> end = new CompletableFuture<>();
    final StreamObserver<ConsumeRequest> requests;

    Stream() {
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("x-project-id", Metadata.ASCII_STRING_MARSHALLER), project);
      requests =
          ClaimServiceGrpc.newStub(channel)
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
              .consume(this);
    }

    Stream start(String queue) {
      requests.onNext(
          ConsumeRequest.newBuilder().setStart(ConsumeStart.newBuilder().setQueue(queue)).build());
      return this;
    }

    Stream credit(int n) {
      requests.onNext(ConsumeRequest.newBuilder().setCredit(n).build());
      return this;
    }

    void ack(List<String> ids) {
      requests.onNext(
          ConsumeRequest.newBuilder().setAck(MessageIds.newBuilder().addAllIds(ids)).build());
    }

    void release(List<String> ids) {
      requests.onNext(
          ConsumeRequest.newBuilder().setRelease(MessageIds.newBuilder().addAllIds(ids)).build());
    }

    /** Messages pushed until {@code count} arrived (or 5 s passed). */
    List<Message> receive(int count) throws InterruptedException {
      List<Message> received = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (received.size() < count && System.nanoTime() < deadline) {
        ConsumeResponse push = pushes.poll(50, TimeUnit.MILLISECONDS);
        if (push != null) {
          received.addAll(push.getMessagesList());
        }
      }
      return received;
    }

    @Override
    public void onNext(ConsumeResponse push) {
      pushes.add(push);
    }

    @Override
    public void onError(Throwable error) {
      end.complete(Status.fromThrowable(error));
    }

    @Override
    public void onCompleted() {
      end.complete(Status.OK);
    }
  }

  private static List<String> ids(List<Message> messages) {
    return messages.stream().map(Message::getId).toList();
  }

  @Test
  void pushesStayWithinTheCreditAndAcksDelete() throws Exception {
    List<String> posted =
        kvdb.messages().post("work", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    Stream stream = new Stream().start("work").credit(4);

    List<Message> first = stream.receive(4);
    assertEquals(posted.subList(0, 4), ids(first));
    assertNull(stream.pushes.poll(300, TimeUnit.MILLISECONDS), "nothing beyond the credit");

    stream.ack(ids(first));
    stream.credit(6);
    assertEquals(posted.subList(4, 10), ids(stream.receive(6)));
    awaitStats("work", 0, 6);
    stream.requests.onCompleted();
    assertEquals(Status.Code.OK, stream.end.get(5, TimeUnit.SECONDS).getCode());
  }

  @Test
  void aPostWakesAWaitingStream() throws Exception {
    Stream stream = new Stream().start("later").credit(10);
    Eventually.holdsFor(
        "nothing to push yet", java.time.Duration.ofMillis(200), stream.pushes::isEmpty);
    long posted = System.nanoTime();
    List<String> ids = kvdb.messages().post("later", "late");
    assertEquals(ids, ids(stream.receive(1)));
    assertTrue(
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - posted) < 2_000, "pushed when posted");
    stream.requests.onCompleted();
  }

  @Test
  void aReleasedMessageComesBackAndAnEndedStreamReleasesTheRest() throws Exception {
    List<String> posted = kvdb.messages().post("again", "a", "b");
    Stream stream = new Stream().start("again").credit(2);
    List<Message> pushed = stream.receive(2);
    assertEquals(posted, ids(pushed));

    stream.release(List.of(posted.get(0)));
    stream.credit(1);
    List<Message> redelivered = stream.receive(1);
    assertEquals(List.of(posted.get(0)), ids(redelivered));
    assertEquals(2, redelivered.get(0).getClaimCount());

    stream.requests.onError(new RuntimeException("consumer went away"));
    awaitStats("again", 2, 0);
  }

  @Test
  void badRequestsEndTheStreamNamingTheField() throws Exception {
    Stream unnamed = new Stream().start("");
    assertInvalid(unnamed, "start.queue");
    Stream noStart = new Stream().credit(1);
    assertInvalid(noStart, "start");
    Stream noCredit = new Stream().start("q").credit(0);
    assertInvalid(noCredit, "credit");
  }

  private void assertInvalid(Stream stream, String field) throws Exception {
    Status status = stream.end.get(5, TimeUnit.SECONDS);
    assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
    assertTrue(status.getDescription().startsWith(field + ":"), status.getDescription());
  }

  /** Waits until the queue shows these free and claimed counts. */
  private void awaitStats(String queue, long free, long claimed) {
    Eventually.await(
        () -> "free " + free + " and claimed " + claimed + ", got " + queues.stats(queue),
        () -> {
          var stats = queues.stats(queue);
          return stats.getFree() == free && stats.getClaimed() == claimed;
        });
  }
}
