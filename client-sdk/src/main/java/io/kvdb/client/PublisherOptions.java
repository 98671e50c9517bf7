package io.kvdb.client;

import java.time.Duration;

/**
 * How a {@link MessagePublisher} gathers its messages into posts, as Pub/Sub's batching settings: a
 * batch is posted once it holds {@code maxBatchMessages}, once the next message would take it past
 * {@code maxBatchBytes} (bodies and attributes, as the gateway counts them), or {@code
 * maxBatchDelay} after its first message, whichever comes first; and how far it runs ahead of the
 * gateway: {@code maxBatchesInFlight} posts at once, {@code maxOutstandingMessages} and {@code
 * maxOutstandingBytes} published but not yet answered, beyond which {@code publish} blocks.
 *
 * <pre>{@code
 * PublisherOptions inOrder = PublisherOptions.newBuilder().setMaxBatchesInFlight(1).build();
 * }</pre>
 */
public final class PublisherOptions {
  /** Batches of 100 messages or 256 KiB within 1 ms; 4 in flight; 10,000 messages or 64 MiB out. */
  public static final PublisherOptions DEFAULTS = newBuilder().build();

  private final int maxBatchMessages;
  private final int maxBatchBytes;
  private final Duration maxBatchDelay;
  private final int maxBatchesInFlight;
  private final int maxOutstandingMessages;
  private final long maxOutstandingBytes;

  private PublisherOptions(Builder builder) {
    this.maxBatchMessages = builder.maxBatchMessages;
    this.maxBatchBytes = builder.maxBatchBytes;
    this.maxBatchDelay = builder.maxBatchDelay;
    this.maxBatchesInFlight = builder.maxBatchesInFlight;
    this.maxOutstandingMessages = builder.maxOutstandingMessages;
    this.maxOutstandingBytes = builder.maxOutstandingBytes;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.maxBatchMessages = maxBatchMessages;
    builder.maxBatchBytes = maxBatchBytes;
    builder.maxBatchDelay = maxBatchDelay;
    builder.maxBatchesInFlight = maxBatchesInFlight;
    builder.maxOutstandingMessages = maxOutstandingMessages;
    builder.maxOutstandingBytes = maxOutstandingBytes;
    return builder;
  }

  public int maxBatchMessages() {
    return maxBatchMessages;
  }

  public int maxBatchBytes() {
    return maxBatchBytes;
  }

  public Duration maxBatchDelay() {
    return maxBatchDelay;
  }

  public int maxBatchesInFlight() {
    return maxBatchesInFlight;
  }

  public int maxOutstandingMessages() {
    return maxOutstandingMessages;
  }

  public long maxOutstandingBytes() {
    return maxOutstandingBytes;
  }

  /** Builds {@link PublisherOptions}. */
  public static final class Builder {
    private int maxBatchMessages = 100;
    private int maxBatchBytes = 256 * 1024;
    private Duration maxBatchDelay = Duration.ofMillis(1);
    private int maxBatchesInFlight = 4;
    private int maxOutstandingMessages = 10_000;
    private long maxOutstandingBytes = 64L * 1024 * 1024;

    private Builder() {}

    /** Messages per post, 1 to 1000 (the gateway's most); default 100. */
    public Builder setMaxBatchMessages(int maxBatchMessages) {
      this.maxBatchMessages = Check.between("maxBatchMessages", maxBatchMessages, 1, 1000);
      return this;
    }

    /**
     * Bytes of bodies and attributes per post, at least 1; default 256 KiB, the gateway's default
     * {@code _max_messages_post_size}. A message larger than this is refused alone.
     */
    public Builder setMaxBatchBytes(int maxBatchBytes) {
      this.maxBatchBytes = Check.atLeast("maxBatchBytes", maxBatchBytes, 1);
      return this;
    }

    /** How long a batch waits for more messages after its first, positive; default 1 ms. */
    public Builder setMaxBatchDelay(Duration maxBatchDelay) {
      this.maxBatchDelay = Check.positive("maxBatchDelay", maxBatchDelay);
      return this;
    }

    /**
     * Posts on their way at once, at least 1; default 4. With 1, the messages of one publisher are
     * stored in the order published.
     */
    public Builder setMaxBatchesInFlight(int maxBatchesInFlight) {
      this.maxBatchesInFlight = Check.atLeast("maxBatchesInFlight", maxBatchesInFlight, 1);
      return this;
    }

    /** Messages published and not yet answered, at least 1; default 10,000. */
    public Builder setMaxOutstandingMessages(int maxOutstandingMessages) {
      this.maxOutstandingMessages =
          Check.atLeast("maxOutstandingMessages", maxOutstandingMessages, 1);
      return this;
    }

    /**
     * Bytes published and not yet answered, at least {@code maxBatchBytes} (so that any message the
     * batches take fits); default 64 MiB.
     */
    public Builder setMaxOutstandingBytes(long maxOutstandingBytes) {
      this.maxOutstandingBytes = Check.atLeast("maxOutstandingBytes", maxOutstandingBytes, 1);
      return this;
    }

    public PublisherOptions build() {
      if (maxOutstandingBytes < maxBatchBytes) {
        throw new IllegalArgumentException(
            "maxOutstandingBytes must be at least maxBatchBytes "
                + maxBatchBytes
                + ", was "
                + maxOutstandingBytes);
      }
      return new PublisherOptions(this);
    }
  }
}
