package io.kvdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.kvdb.proto.v1.GetQueueRequest;
import io.kvdb.proto.v1.Queue;
import io.kvdb.proto.v1.QueueServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK's call credentials against a real gRPC server on loopback, whose interceptor records each
 * call's {@code authorization} header.
 */
class CallCredentialsTest {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
  private Server server;

  @BeforeEach
  void start() throws IOException {
    ServerInterceptor recorder =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            String value = headers.get(AUTHORIZATION);
            received.add(value == null ? "<none>" : value);
            return next.startCall(call, headers);
          }
        };
    QueueServiceGrpc.QueueServiceImplBase queues =
        new QueueServiceGrpc.QueueServiceImplBase() {
          @Override
          public void getQueue(GetQueueRequest request, StreamObserver<Queue> reply) {
            reply.onNext(Queue.newBuilder().setName(request.getName()).build());
            reply.onCompleted();
          }
        };
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(ServerInterceptors.intercept(queues, recorder))
            .build()
            .start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void anApiKeyIsSentWithEveryCall() {
    try (KvdbClient kvdb = KvdbClient.create(options().setApiKey("key-123").build())) {
      kvdb.queues().get("a");
      kvdb.queues().get("b");
    }
    assertEquals(List.of("Bearer key-123", "Bearer key-123"), List.copyOf(received));
  }

  @Test
  void aTokenIsFetchedOnceForManyCallsEvenConcurrentOnes() {
    AtomicInteger fetches = new AtomicInteger();
    TokenSupplier slow =
        () -> {
          Thread.sleep(100);
          return new BearerToken("t" + fetches.incrementAndGet(), Instant.now().plusSeconds(3600));
        };
    try (KvdbClient kvdb = KvdbClient.create(options().setTokenSupplier(slow).build())) {
      List<CompletableFuture<Queue>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        calls.add(kvdb.queues().getAsync("q" + i));
      }
      calls.forEach(CompletableFuture::join);
      for (int i = 0; i < 20; i++) {
        kvdb.queues().get("again");
      }
    }
    assertEquals(1, fetches.get());
    assertEquals(70, received.size());
    assertTrue(received.stream().allMatch("Bearer t1"::equals), received::toString);
  }

  @Test
  void aTokenIsRefreshedNearItsExpiryWhileCallsGoOn() throws InterruptedException {
    MovableClock clock = new MovableClock(Instant.parse("2026-12-01T12:00:00Z"));
    AtomicInteger fetches = new AtomicInteger();
    TokenSupplier hundredSeconds =
        () -> new BearerToken("t" + fetches.incrementAndGet(), clock.instant().plusSeconds(100));
    ExecutorService fetcher = Executors.newSingleThreadExecutor();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    try {
      QueueServiceGrpc.QueueServiceBlockingStub queues =
          QueueServiceGrpc.newBlockingStub(channel)
              .withCallCredentials(new BearerCredentials(hundredSeconds, false, fetcher, clock));
      GetQueueRequest request = GetQueueRequest.newBuilder().setName("q").build();
      queues.getQueue(request);
      clock.now = clock.now.plusSeconds(69); // the margin of a 100 s token is 30 s
      queues.getQueue(request);
      assertEquals(1, fetches.get());
      clock.now = clock.now.plusSeconds(1);
      queues.getQueue(request); // sends t1, still valid, while t2 is fetched
      fetcher.submit(() -> {}).get(5, TimeUnit.SECONDS);
      queues.getQueue(request);
      queues.getQueue(request);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      fetcher.shutdownNow();
    }
    assertEquals(2, fetches.get());
    assertEquals(
        List.of("Bearer t1", "Bearer t1", "Bearer t1", "Bearer t2", "Bearer t2"),
        List.copyOf(received));
  }

  @Test
  void aFailedRefreshKeepsTheOldTokenAndIsRetriedAfterAPause() throws Exception {
    MovableClock clock = new MovableClock(Instant.parse("2026-12-01T12:00:00Z"));
    AtomicInteger fetches = new AtomicInteger();
    TokenSupplier failsOnceRefreshing =
        () -> {
          int fetch = fetches.incrementAndGet();
          if (fetch == 2) {
            throw new IllegalStateException("identity provider down");
          }
          return new BearerToken("t" + fetch, clock.instant().plusSeconds(100));
        };
    ExecutorService fetcher = Executors.newSingleThreadExecutor();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    try {
      QueueServiceGrpc.QueueServiceBlockingStub queues =
          QueueServiceGrpc.newBlockingStub(channel)
              .withCallCredentials(
                  new BearerCredentials(failsOnceRefreshing, false, fetcher, clock));
      GetQueueRequest request = GetQueueRequest.newBuilder().setName("q").build();
      queues.getQueue(request);
      clock.now = clock.now.plusSeconds(70);
      queues.getQueue(request); // refresh fails in the background
      fetcher.submit(() -> {}).get(5, TimeUnit.SECONDS);
      queues.getQueue(request);
      queues.getQueue(request);
      assertEquals(2, fetches.get());
      clock.now = clock.now.plus(BearerCredentials.RETRY_PAUSE);
      queues.getQueue(request);
      fetcher.submit(() -> {}).get(5, TimeUnit.SECONDS);
      queues.getQueue(request);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      fetcher.shutdownNow();
    }
    assertEquals(3, fetches.get());
    assertEquals(
        List.of("Bearer t1", "Bearer t1", "Bearer t1", "Bearer t1", "Bearer t1", "Bearer t3"),
        List.copyOf(received));
  }

  @Test
  void aSupplierFailureIsUnauthenticatedWithItsCauseAndTheNextCallAsksAgain() {
    IllegalStateException down = new IllegalStateException("identity provider down");
    AtomicInteger fetches = new AtomicInteger();
    TokenSupplier flaky =
        () -> {
          if (fetches.incrementAndGet() == 1) {
            throw down;
          }
          return new BearerToken("ok", Instant.now().plusSeconds(3600));
        };
    try (KvdbClient kvdb = KvdbClient.create(options().setTokenSupplier(flaky).build())) {
      KvdbException failed = assertThrows(KvdbException.class, () -> kvdb.queues().get("a"));
      assertEquals(Status.Code.UNAUTHENTICATED, failed.code());
      assertTrue(causes(failed).contains(down), causes(failed)::toString);
      assertTrue(received.isEmpty());
      assertEquals("a", kvdb.queues().get("a").getName());
    }
    assertEquals(List.of("Bearer ok"), List.copyOf(received));
  }

  @Test
  void anExpiredTokenFromTheSupplierIsUnauthenticated() {
    TokenSupplier stale = () -> new BearerToken("old", Instant.now().minusSeconds(1));
    try (KvdbClient kvdb = KvdbClient.create(options().setTokenSupplier(stale).build())) {
      KvdbException failed = assertThrows(KvdbException.class, () -> kvdb.queues().get("a"));
      assertEquals(Status.Code.UNAUTHENTICATED, failed.code());
    }
    assertTrue(received.isEmpty());
  }

  @Test
  void credentialsAreNotSentInPlaintextToAnotherHostUnlessAllowed() throws InterruptedException {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
            .overrideAuthority("kvdb.example:50051")
            .usePlaintext()
            .build();
    try {
      KvdbClientOptions.Builder builder =
          KvdbClientOptions.newBuilder().setChannel(channel).setApiKey("key-123");
      try (KvdbClient kvdb = KvdbClient.create(builder.build())) {
        KvdbException refused = assertThrows(KvdbException.class, () -> kvdb.queues().get("a"));
        assertEquals(Status.Code.UNAUTHENTICATED, refused.code());
        assertTrue(refused.getMessage().contains("TLS"), refused.getMessage());
        assertFalse(refused.getMessage().contains("key-123"));
      }
      assertTrue(received.isEmpty());
      try (KvdbClient kvdb =
          KvdbClient.create(builder.setAllowCredentialsOverPlaintext(true).build())) {
        kvdb.queues().get("a");
      }
      assertEquals(List.of("Bearer key-123"), List.copyOf(received));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void loopbackTargetsAreRecognisedWithoutLookups() {
    for (String loopback :
        List.of("localhost:50051", "LOCALHOST", "127.0.0.1:1", "127.1.2.3:9", "[::1]:50051")) {
      assertTrue(BearerCredentials.isLoopback(loopback), loopback);
    }
    for (String other :
        List.of(
            "kvdb.example:50051",
            "10.0.0.1:50051",
            "[2001:db8::1]:1",
            "localhost.evil.example:1")) {
      assertFalse(BearerCredentials.isLoopback(other), other);
    }
  }

  @Test
  void theRefreshMarginIsATenthOr30SecondsButAtMostHalfTheLifetime() {
    assertEquals(Duration.ofMinutes(6), BearerCredentials.refreshMargin(Duration.ofHours(1)));
    assertEquals(Duration.ofSeconds(30), BearerCredentials.refreshMargin(Duration.ofMinutes(2)));
    assertEquals(Duration.ofSeconds(10), BearerCredentials.refreshMargin(Duration.ofSeconds(20)));
  }

  @Test
  void secretsNeverShowInToStringOrBadValues() {
    KvdbClientOptions options = options().setApiKey("s3cret-key").build();
    assertFalse(options.toString().contains("s3cret-key"), options.toString());
    assertTrue(options.toString().contains("<redacted>"));
    assertFalse(new BearerToken("s3cret-token", Instant.now()).toString().contains("s3cret"));
    assertThrows(IllegalArgumentException.class, () -> options().setApiKey("two words"));
    assertThrows(IllegalArgumentException.class, () -> options().setApiKey("line\nbreak"));
    assertThrows(NullPointerException.class, () -> options().setTokenSupplier(null));
    KvdbClientOptions supplier = options().setApiKey("k").setTokenSupplier(() -> null).build();
    assertTrue(supplier.hasCredentials());
    assertSame(null, supplier.apiKey());
  }

  private KvdbClientOptions.Builder options() {
    return KvdbClientOptions.newBuilder().setTarget("127.0.0.1:" + server.getPort());
  }

  private static List<Throwable> causes(Throwable error) {
    List<Throwable> causes = new ArrayList<>();
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      causes.add(cause);
    }
    return causes;
  }

  /** A clock the test sets. */
  private static final class MovableClock extends java.time.Clock {
    volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
