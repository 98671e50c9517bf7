package io.kvdb.client;

import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The entry point of the KVDB Java SDK: one channel to a gateway, scoped to one project. Each
 * domain has its client ({@link #queues()}, {@link #messages()}, {@link #claims()}, {@link
 * #locks()}, {@link #stats()}, {@link #dictionaries()}, {@link #broker()}, and for administrators
 * {@link #admin()}), whose every call blocks and has an {@code ...Async} twin returning a {@code
 * CompletableFuture}.
 *
 * <pre>{@code
 * KvdbClientOptions options = KvdbClientOptions.newBuilder().setTarget("localhost:50051").setProject("billing").build();
 * try (KvdbClient kvdb = KvdbClient.create(options)) {
 *   kvdb.queues().create("invoices");
 *   kvdb.queues().statsAsync("invoices").thenAccept(stats -> report(stats));
 * }
 * }</pre>
 *
 * Calls the protos mark safe to repeat that fail with {@code UNAVAILABLE} are retried (4 attempts,
 * backoff from 100 ms to 2 s) by gRPC's own retry policy ({@link RetryPolicy}), and so are posts,
 * which carry an idempotency key unless {@link KvdbClientOptions.Builder#setPostIdempotencyKeys}
 * turns keys off; every call gets the configured deadline and, when the options give an API key or
 * a token supplier, the {@code authorization} header.
 */
public final class KvdbClient implements AutoCloseable {
  private static final Metadata.Key<String> PROJECT_HEADER =
      Metadata.Key.of("x-project-id", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> CLIENT_ID_HEADER =
      Metadata.Key.of("client-id", Metadata.ASCII_STRING_MARSHALLER);

  private final ManagedChannel ownedChannel;
  private final ExecutorService tokenFetcher;
  private final Channel channel;
  private final Duration deadline;
  private final boolean postIdempotencyKeys;
  private final QueueClient queues;
  private final LockClient locks;
  private final MessageClient messages;
  private final ClaimClient claims;
  private final StatsClient stats;
  private final DictionaryClient dictionaries;
  private final BrokerClient broker;
  private final AdminClient admin;

  /** Lock watchdogs and publishers' batch delays: tasks that only start async calls. */
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(daemon("kvdb-client-timer"));

  private KvdbClient(
      ManagedChannel ownedChannel,
      ExecutorService tokenFetcher,
      Channel channel,
      Duration deadline,
      boolean postIdempotencyKeys) {
    this.ownedChannel = ownedChannel;
    this.tokenFetcher = tokenFetcher;
    this.channel = channel;
    this.deadline = deadline;
    this.postIdempotencyKeys = postIdempotencyKeys;
    this.queues = new QueueClient(this);
    this.locks = new LockClient(this, timer);
    this.messages = new MessageClient(this, timer);
    this.claims = new ClaimClient(this);
    this.stats = new StatsClient(this);
    this.dictionaries = new DictionaryClient(this);
    this.broker = new BrokerClient(this);
    this.admin = new AdminClient(this);
  }

  /** A client as the options say: it opens a channel to their target, or uses their channel. */
  public static KvdbClient create(KvdbClientOptions options) {
    ManagedChannel owned = options.channel().isPresent() ? null : openChannel(options);
    Metadata headers = new Metadata();
    headers.put(PROJECT_HEADER, options.project());
    options.clientId().ifPresent(clientId -> headers.put(CLIENT_ID_HEADER, clientId));
    Channel scoped =
        ClientInterceptors.intercept(
            owned != null ? owned : options.channel().get(),
            MetadataUtils.newAttachHeadersInterceptor(headers));
    ExecutorService tokenFetcher = null;
    if (options.apiKey() != null) {
      BearerToken key = new BearerToken(options.apiKey(), Instant.MAX);
      scoped =
          withCredentials(
              scoped,
              new BearerCredentials(
                  () -> key,
                  options.allowCredentialsOverPlaintext(),
                  Runnable::run,
                  Clock.systemUTC()));
    } else if (options.tokenSupplier() != null) {
      tokenFetcher = Executors.newSingleThreadExecutor(daemon("kvdb-client-token"));
      scoped =
          withCredentials(
              scoped,
              new BearerCredentials(
                  options.tokenSupplier(),
                  options.allowCredentialsOverPlaintext(),
                  tokenFetcher,
                  Clock.systemUTC()));
    }
    return new KvdbClient(
        owned, tokenFetcher, scoped, options.deadline(), options.postIdempotencyKeys());
  }

  /** Every call over {@code channel}, whichever stub makes it, carries {@code credentials}. */
  private static Channel withCredentials(Channel channel, CallCredentials credentials) {
    return ClientInterceptors.intercept(
        channel,
        new ClientInterceptor() {
          @Override
          public <Q, R> ClientCall<Q, R> interceptCall(
              MethodDescriptor<Q, R> method, CallOptions callOptions, Channel next) {
            return next.newCall(method, callOptions.withCallCredentials(credentials));
          }
        });
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Queues: create, get, list, update, delete, stats. */
  public QueueClient queues() {
    return queues;
  }

  /** Messages: post, list, get, delete, pop, and batching publishers. */
  public MessageClient messages() {
    return messages;
  }

  /** Claims on messages: create (long polling), get, update, release, and stream consumers. */
  public ClaimClient claims() {
    return claims;
  }

  /**
   * Service statistics: record (directly or by a {@link StatsRecorder}), query, samples, slow
   * responses.
   */
  public StatsClient stats() {
    return stats;
  }

  /** The broker: publish, and subscribers to all messages or, in a group, one each. */
  public BrokerClient broker() {
    return broker;
  }

  /** Data dictionaries: entries, translations, export and import. */
  public DictionaryClient dictionaries() {
    return dictionaries;
  }

  /** Distributed locks with leases, fencing tokens and an optional watchdog. */
  public LockClient locks() {
    return locks;
  }

  /** Administration, for an administrator's credential: API keys and project quotas. */
  public AdminClient admin() {
    return admin;
  }

  Duration deadline() {
    return deadline;
  }

  /** Whether a post without a key of the caller's gets a random one. */
  boolean postIdempotencyKeys() {
    return postIdempotencyKeys;
  }

  /**
   * The channel this client's calls go over, scoped to its project (with its retry policy when the
   * client opened it): for calls through the generated stubs, e.g. with request values the SDK's
   * options refuse. {@link KvdbException#from} reads their failures.
   */
  public Channel channel() {
    return channel;
  }

  /** A stub for unary calls, with the client's deadline. */
  <S extends AbstractStub<S>> S unaryStub(S stub) {
    return unaryStub(stub, Duration.ZERO);
  }

  /**
   * A stub for unary calls whose deadline also covers {@code wait} on the server. Replies complete
   * their future on the transport thread that read them: a blocking call wakes its caller straight
   * from there, without a hand-off through gRPC's executor (the cost a blocking stub does not pay
   * either).
   */
  <S extends AbstractStub<S>> S unaryStub(S stub, Duration wait) {
    return stub.withExecutor(Runnable::run)
        .withDeadlineAfter(deadline.plus(wait).toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Closes the channel this client opened (not one given to the builder), waiting briefly. */
  @Override
  public void close() {
    timer.shutdownNow();
    if (tokenFetcher != null) {
      tokenFetcher.shutdownNow();
    }
    if (ownedChannel == null) {
      return;
    }
    ownedChannel.shutdown();
    try {
      if (!ownedChannel.awaitTermination(5, TimeUnit.SECONDS)) {
        ownedChannel.shutdownNow();
      }
    } catch (InterruptedException e) {
      ownedChannel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static ManagedChannel openChannel(KvdbClientOptions options) {
    ChannelCredentials credentials =
        options.useTls()
            ? options.tls().map(TlsOptions::credentials).orElseGet(TlsChannelCredentials::create)
            : InsecureChannelCredentials.create();
    return NettyChannelBuilder.forTarget(options.target().orElseThrow(), credentials)
        .enableRetry()
        .defaultServiceConfig(RetryPolicy.serviceConfig(options.postIdempotencyKeys()))
        .build();
  }
}
