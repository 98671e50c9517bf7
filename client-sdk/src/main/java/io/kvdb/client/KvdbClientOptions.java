package io.kvdb.client;

import io.grpc.ManagedChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How a {@link KvdbClient} reaches its gateway: a target (or a channel of your own), the project
 * every call is scoped to, the client id, the deadline of each call, TLS, the credential (an API
 * key or a token supplier), and whether posts carry idempotency keys. {@link #toString()} never
 * shows the credential.
 *
 * <pre>{@code
 * KvdbClientOptions options = KvdbClientOptions.newBuilder()
 *     .setTarget("localhost:50051")
 *     .setProject("billing")
 *     .build();
 * try (KvdbClient kvdb = KvdbClient.create(options)) { ... }
 * }</pre>
 */
public final class KvdbClientOptions {
  private final String target;
  private final ManagedChannel channel;
  private final String project;
  private final String clientId;
  private final Duration deadline;
  private final boolean useTls;
  private final TlsOptions tls;
  private final boolean postIdempotencyKeys;
  private final String apiKey;
  private final TokenSupplier tokenSupplier;
  private final boolean allowCredentialsOverPlaintext;

  private KvdbClientOptions(Builder builder) {
    this.target = builder.target;
    this.channel = builder.channel;
    this.project = builder.project;
    this.clientId = builder.clientId;
    this.deadline = builder.deadline;
    this.useTls = builder.useTls;
    this.tls = builder.tls;
    this.postIdempotencyKeys = builder.postIdempotencyKeys;
    this.apiKey = builder.apiKey;
    this.tokenSupplier = builder.tokenSupplier;
    this.allowCredentialsOverPlaintext = builder.allowCredentialsOverPlaintext;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.target = target;
    builder.channel = channel;
    builder.project = project;
    builder.clientId = clientId;
    builder.deadline = deadline;
    builder.useTls = useTls;
    builder.tls = tls;
    builder.postIdempotencyKeys = postIdempotencyKeys;
    builder.apiKey = apiKey;
    builder.tokenSupplier = tokenSupplier;
    builder.allowCredentialsOverPlaintext = allowCredentialsOverPlaintext;
    return builder;
  }

  /** The gateway as {@code host:port} or any gRPC target; empty when a channel is given. */
  public Optional<String> target() {
    return Optional.ofNullable(target);
  }

  /** The caller's own channel, used instead of a target; empty when a target is given. */
  public Optional<ManagedChannel> channel() {
    return Optional.ofNullable(channel);
  }

  public String project() {
    return project;
  }

  public Optional<String> clientId() {
    return Optional.ofNullable(clientId);
  }

  public Duration deadline() {
    return deadline;
  }

  public boolean useTls() {
    return useTls;
  }

  /** The trusted CAs and client certificate TLS uses; empty for the platform's CAs and none. */
  public Optional<TlsOptions> tls() {
    return Optional.ofNullable(tls);
  }

  public boolean postIdempotencyKeys() {
    return postIdempotencyKeys;
  }

  /** Whether calls carry an API key or a supplier's token. */
  public boolean hasCredentials() {
    return apiKey != null || tokenSupplier != null;
  }

  /** The API key, or null. */
  String apiKey() {
    return apiKey;
  }

  /** The token supplier, or null. */
  TokenSupplier tokenSupplier() {
    return tokenSupplier;
  }

  public boolean allowCredentialsOverPlaintext() {
    return allowCredentialsOverPlaintext;
  }

  /** The options, with the API key and token shown as {@code <redacted>}. */
  @Override
  public String toString() {
    return "KvdbClientOptions{"
        + (target != null ? "target=" + target : "channel=" + channel)
        + ", project="
        + project
        + ", clientId="
        + clientId
        + ", deadline="
        + deadline
        + ", useTls="
        + useTls
        + ", postIdempotencyKeys="
        + postIdempotencyKeys
        + ", credentials="
        + (apiKey != null ? "apiKey <redacted>" : tokenSupplier != null ? "token supplier" : "none")
        + ", allowCredentialsOverPlaintext="
        + allowCredentialsOverPlaintext
        + "}";
  }

  /** Builds {@link KvdbClientOptions}; a target or a channel is required. */
  public static final class Builder {
    private String target;
    private ManagedChannel channel;
    private String project = "default";
    private String clientId;
    private Duration deadline = Duration.ofSeconds(10);
    private boolean useTls;
    private TlsOptions tls;
    private boolean postIdempotencyKeys = true;
    private String apiKey;
    private TokenSupplier tokenSupplier;
    private boolean allowCredentialsOverPlaintext;

    private Builder() {}

    /** The gateway, as {@code host:port} or any gRPC target string. */
    public Builder setTarget(String target) {
      if (Check.notNull("target", target).isBlank()) {
        throw new IllegalArgumentException("target must not be blank");
      }
      this.target = target;
      return this;
    }

    /**
     * A channel of your own, used instead of a target and left open by {@link KvdbClient#close()};
     * it has no retry policy unless you gave it one.
     */
    public Builder setChannel(ManagedChannel channel) {
      this.channel = Check.notNull("channel", channel);
      return this;
    }

    /** The project (tenant) every call is scoped to; default {@code "default"}. */
    public Builder setProject(String project) {
      if (Check.notNull("project", project).isEmpty()) {
        throw new IllegalArgumentException("project must not be empty");
      }
      this.project = project;
      return this;
    }

    /** This client's identity (Zaqar's Client-ID), used by message echo; default none. */
    public Builder setClientId(String clientId) {
      this.clientId = Check.notNull("clientId", clientId);
      return this;
    }

    /** How long each call may take, retries included; default 10 s. */
    public Builder setDeadline(Duration deadline) {
      this.deadline = Check.positive("deadline", deadline);
      return this;
    }

    /**
     * Speak TLS to the target instead of plaintext, trusting the platform's CAs unless {@link
     * #setTls} gives others; default false. False also drops what {@link #setTls} gave.
     */
    public Builder setUseTls(boolean useTls) {
      this.useTls = useTls;
      if (!useTls) {
        this.tls = null;
      }
      return this;
    }

    /**
     * Speak TLS to the target with these trusted CAs and, for mutual TLS, client certificate; turns
     * {@link #setUseTls} on.
     */
    public Builder setTls(TlsOptions tls) {
      this.tls = Check.notNull("tls", tls);
      this.useTls = true;
      return this;
    }

    /**
     * Whether every post carries an idempotency key (a random UUID unless its {@link PostOptions}
     * give one), so that the client retries posts after {@code UNAVAILABLE} as it does idempotent
     * calls, without storing them twice; default true. False sends no key unless the options give
     * one and never retries a post: the gateway's Redis then keeps no record of each post for its
     * window (about 250 bytes for one message, 2.7 KB for 100), at the price of a post failing
     * where a retry would have stored it, or of duplicates where you retry it yourself.
     */
    public Builder setPostIdempotencyKeys(boolean postIdempotencyKeys) {
      this.postIdempotencyKeys = postIdempotencyKeys;
      return this;
    }

    /**
     * An API key sent with every call as {@code authorization: Bearer <key>}; replaces a {@link
     * #setTokenSupplier token supplier}. Sent only over TLS or to a loopback target unless {@link
     * #setAllowCredentialsOverPlaintext} allows it.
     */
    public Builder setApiKey(String apiKey) {
      this.apiKey = new BearerToken(Check.notNull("apiKey", apiKey), Instant.MAX).value();
      this.tokenSupplier = null;
      return this;
    }

    /**
     * Where every call's {@code authorization: Bearer <token>} comes from; replaces an {@link
     * #setApiKey API key}. The client calls the supplier at its first call, then keeps the token
     * and calls again only when a tenth of the token's lifetime or 30 s remain (whichever is more,
     * but at most half the lifetime), once however many calls are under way: those still send the
     * old token while it has not expired, and only calls that have no valid token wait for the new
     * one. A supplier that throws, or returns an expired token, fails the calls waiting for it with
     * {@code UNAUTHENTICATED} (the failure as the cause); the next call asks again.
     *
     * <p>Like gRPC's own call credentials, the token is not sent without TLS except to a loopback
     * target ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}): calls to another fail with
     * {@code UNAUTHENTICATED} unless {@link #setAllowCredentialsOverPlaintext} allows it.
     */
    public Builder setTokenSupplier(TokenSupplier tokenSupplier) {
      this.tokenSupplier = Check.notNull("tokenSupplier", tokenSupplier);
      this.apiKey = null;
      return this;
    }

    /**
     * Send the API key or token over a connection without TLS to a target other than loopback,
     * where anyone on the path can read and replay it; default false. For a TLS-terminating proxy
     * on the same host or network, say.
     */
    public Builder setAllowCredentialsOverPlaintext(boolean allow) {
      this.allowCredentialsOverPlaintext = allow;
      return this;
    }

    /**
     * The options; {@link IllegalStateException} unless exactly one of target and channel is set.
     */
    public KvdbClientOptions build() {
      if ((target == null) == (channel == null)) {
        throw new IllegalStateException("give either a target or a channel");
      }
      return new KvdbClientOptions(this);
    }
  }
}
