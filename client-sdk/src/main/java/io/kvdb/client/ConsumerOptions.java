package io.kvdb.client;

import java.time.Duration;

/**
 * How a {@link Consumer} runs: handler threads, messages per push, messages in hand at most, how
 * long a pushed message is held, reconnect backoff, and who hears a fatal error.
 *
 * <pre>{@code
 * ConsumerOptions options = ConsumerOptions.newBuilder().setThreads(4).setBatch(20).build();
 * try (Consumer consumer = kvdb.claims().consumer("invoices", options, message -> bill(message))) { ... }
 * }</pre>
 */
public final class ConsumerOptions {
  /** One thread, batches of 10, a window of 20, 60 s claims, reconnects from 100 ms to 10 s. */
  public static final ConsumerOptions DEFAULTS = newBuilder().build();

  private final int threads;
  private final int batch;
  private final int window;
  private final Duration ttl;
  private final Backoff reconnectBackoff;
  private final Duration startTimeout;
  private final Consumer.ErrorListener onError;

  private ConsumerOptions(Builder builder) {
    this.threads = builder.threads;
    this.batch = builder.batch;
    this.window = builder.window;
    this.ttl = builder.ttl;
    this.reconnectBackoff = builder.reconnectBackoff;
    this.startTimeout = builder.startTimeout;
    this.onError = builder.onError;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.threads = threads;
    builder.batch = batch;
    builder.window = window;
    builder.ttl = ttl;
    builder.reconnectBackoff = reconnectBackoff;
    builder.startTimeout = startTimeout;
    builder.onError = onError;
    return builder;
  }

  public int threads() {
    return threads;
  }

  public int batch() {
    return batch;
  }

  /**
   * The window set, or else {@code 2 x threads x batch}: per thread, one batch being handled while
   * the next is on its way.
   */
  public int window() {
    return window > 0 ? window : 2 * threads * batch;
  }

  public Duration ttl() {
    return ttl;
  }

  public Duration reconnectInitial() {
    return reconnectBackoff.initial();
  }

  public Duration reconnectMax() {
    return reconnectBackoff.max();
  }

  Backoff reconnectBackoff() {
    return reconnectBackoff;
  }

  public Duration startTimeout() {
    return startTimeout;
  }

  public Consumer.ErrorListener onError() {
    return onError;
  }

  /** Builds {@link ConsumerOptions}. */
  public static final class Builder {
    private int threads = 1;
    private int batch = 10;
    private int window;
    private Duration ttl = Duration.ofSeconds(60);
    private Backoff reconnectBackoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
    private Duration startTimeout = Duration.ofSeconds(1);
    private Consumer.ErrorListener onError =
        cause ->
            System.getLogger(Consumer.class.getName())
                .log(System.Logger.Level.ERROR, "consumer stopped", cause);

    private Builder() {}

    /** Handler threads, at least 1; default 1. */
    public Builder setThreads(int threads) {
      this.threads = Check.atLeast("threads", threads, 1);
      return this;
    }

    /** Messages per push, 1 to 1000; default 10. */
    public Builder setBatch(int batch) {
      this.batch = Check.between("batch", batch, 1, 1000);
      return this;
    }

    /**
     * Messages in hand at most, across reconnects, at least 1; default {@code 2 x threads x batch}.
     */
    public Builder setWindow(int window) {
      this.window = Check.atLeast("window", window, 1);
      return this;
    }

    /**
     * How long a pushed message is held before others may have it, within the gateway's claim
     * bounds (by default 60 s to 12 h); default 60 s.
     */
    public Builder setTtl(Duration ttl) {
      this.ttl = Check.positive("ttl", ttl);
      return this;
    }

    /**
     * Waits between reconnects after transient errors: from {@code initial}, doubling up to {@code
     * max}, each jittered down to half; {@code 0 < initial <= max}; default 100 ms to 10 s.
     */
    public Builder setReconnectBackoff(Duration initial, Duration max) {
      Check.positive("reconnectBackoff initial", initial);
      if (Check.notNull("reconnectBackoff max", max).compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "reconnectBackoff max must be at least initial " + initial + ", was " + max);
      }
      this.reconnectBackoff = new Backoff(initial, max);
      return this;
    }

    /**
     * How long {@link ClaimClient#consumer} waits for the gateway to refuse the stream; default 1
     * s. The gateway says nothing when it accepts one, so the consumer starts at the first push or
     * after this wait; a refusal later reaches the {@link #setOnError error listener}.
     */
    public Builder setStartTimeout(Duration startTimeout) {
      this.startTimeout = Check.notNegative("startTimeout", startTimeout);
      return this;
    }

    /** Told when the consumer stops on an error no retry can fix; default: logged. */
    public Builder setOnError(Consumer.ErrorListener onError) {
      this.onError = Check.notNull("onError", onError);
      return this;
    }

    public ConsumerOptions build() {
      return new ConsumerOptions(this);
    }
  }
}
