package io.kvdb.client;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The entry point of the KVDB Java SDK: one channel to a gateway, scoped to one project.
 *
 * <pre>{@code
 * try (KvdbClient kvdb = KvdbClient.builder().target("localhost:50051").project("billing").build()) {
 *   kvdb.queues().create("invoices");
 * }
 * }</pre>
 *
 * Calls the protos mark safe to repeat that fail with {@code UNAVAILABLE} are retried (4 attempts,
 * backoff from 100 ms to 2 s) by gRPC's own retry policy ({@link RetryPolicy}); every call gets
 * the configured deadline.
 */
public final class KvdbClient implements AutoCloseable {
  private static final Metadata.Key<String> PROJECT_HEADER =
      Metadata.Key.of("x-project-id", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> CLIENT_ID_HEADER =
      Metadata.Key.of("client-id", Metadata.ASCII_STRING_MARSHALLER);

  private final ManagedChannel ownedChannel;
  private final Channel channel;
  private final Duration deadline;
  private final QueueClient queues;
  private final LockClient locks;
  private final MessageClient messages;
  private final ClaimClient claims;
  private final StatsClient stats;
  private final DictionaryClient dictionaries;
  private final BrokerClient broker;
  private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "kvdb-client-watchdog");
    thread.setDaemon(true);
    return thread;
  });

  private KvdbClient(ManagedChannel ownedChannel, Channel channel, Duration deadline) {
    this.ownedChannel = ownedChannel;
    this.channel = channel;
    this.deadline = deadline;
    this.queues = new QueueClient(this);
    this.locks = new LockClient(this, background);
    this.messages = new MessageClient(this);
    this.claims = new ClaimClient(this);
    this.stats = new StatsClient(this);
    this.dictionaries = new DictionaryClient(this);
    this.broker = new BrokerClient(this);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Queues: create, get, list, update, delete, stats. */
  public QueueClient queues() {
    return queues;
  }

  /** Messages: post, list, get, delete, pop. */
  public MessageClient messages() {
    return messages;
  }

  /** Claims on messages: create (long polling), get, update, release. */
  public ClaimClient claims() {
    return claims;
  }

  /** Service statistics: record, query, samples and slow responses. */
  public StatsClient stats() {
    return stats;
  }

  /** The broker: publish, and subscribe to all messages or one of a group. */
  public BrokerClient broker() {
    return broker;
  }

  /** Data dictionaries: entries, translations, export and import. */
  public DictionaryClient dictionaries() {
    return dictionaries;
  }

  /** A consumer that runs {@code handler} for each message of {@code queue}; see {@link Consumer}. */
  public Consumer.Builder consumer(String queue, Consumer.Handler handler) {
    return new Consumer.Builder(this, queue, handler);
  }

  /** Distributed locks with leases, fencing tokens and an optional watchdog. */
  public LockClient locks() {
    return locks;
  }

  Duration deadline() {
    return deadline;
  }

  Channel channel() {
    return channel;
  }

  <S extends AbstractStub<S>> S withDeadline(S stub) {
    return stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Closes the channel this client opened (not one given to the builder), waiting briefly. */
  @Override
  public void close() {
    background.shutdownNow();
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

  /** Builds a {@link KvdbClient}; only the target (or a channel) is required. */
  public static final class Builder {
    private String target;
    private ManagedChannel channel;
    private String project = "default";
    private String clientId;
    private Duration deadline = Duration.ofSeconds(10);
    private boolean tls;

    private Builder() {}

    /** The gateway, as {@code host:port} or any gRPC target string. */
    public Builder target(String target) {
      this.target = Objects.requireNonNull(target, "target");
      return this;
    }

    /** A channel of your own, used instead of a target and left open by {@link #close()}. */
    public Builder channel(ManagedChannel channel) {
      this.channel = Objects.requireNonNull(channel, "channel");
      return this;
    }

    /** The project (tenant) every call is scoped to; default {@code "default"}. */
    public Builder project(String project) {
      this.project = Objects.requireNonNull(project, "project");
      return this;
    }

    /** This client's identity (Zaqar's Client-ID), used by message echo; default none. */
    public Builder clientId(String clientId) {
      this.clientId = Objects.requireNonNull(clientId, "clientId");
      return this;
    }

    /** How long each call may take, retries included; default 10 s. */
    public Builder deadline(Duration deadline) {
      this.deadline = Objects.requireNonNull(deadline, "deadline");
      return this;
    }

    /** Speak TLS to the target instead of plaintext. */
    public Builder useTls() {
      this.tls = true;
      return this;
    }

    public KvdbClient build() {
      if ((target == null) == (channel == null)) {
        throw new IllegalStateException("give either a target or a channel");
      }
      ManagedChannel owned = channel == null ? openChannel() : null;
      Metadata headers = new Metadata();
      headers.put(PROJECT_HEADER, project);
      if (clientId != null) {
        headers.put(CLIENT_ID_HEADER, clientId);
      }
      Channel scoped = ClientInterceptors.intercept(
          owned != null ? owned : channel, MetadataUtils.newAttachHeadersInterceptor(headers));
      return new KvdbClient(owned, scoped, deadline);
    }

    private ManagedChannel openChannel() {
      NettyChannelBuilder builder = NettyChannelBuilder.forTarget(target)
          .enableRetry()
          .defaultServiceConfig(RetryPolicy.serviceConfig());
      if (tls) {
        builder.useTransportSecurity();
      } else {
        builder.usePlaintext();
      }
      return builder.build();
    }
  }
}
