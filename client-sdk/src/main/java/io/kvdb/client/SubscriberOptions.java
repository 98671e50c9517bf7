package io.kvdb.client;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * How a {@link Subscriber} subscribes: alone to every broadcast ({@code ALL}) message, resuming
 * after given ids, or as a member of a group to {@code ONE} messages, with the group's flow
 * control, ack timeout and deliveries before dead letters.
 *
 * <pre>{@code
 * SubscriberOptions workers = SubscriberOptions.newBuilder()
 *     .setGroup("servers").setMaxUnacked(10).setAckTimeout(Duration.ofSeconds(30)).build();
 * try (Subscriber subscriber = kvdb.broker().subscriber(List.of("scheduler"), workers, job -> run(job))) { ... }
 * }</pre>
 */
public final class SubscriberOptions {
  /** Broadcast messages from now on; gaps are ignored. */
  public static final SubscriberOptions DEFAULTS = newBuilder().build();

  private final String group;
  private final int maxUnacked;
  private final Duration ackTimeout;
  private final int maxDeliveries;
  private final Map<String, String> resumeAfter;
  private final BiConsumer<List<String>, Status> onGap;

  private SubscriberOptions(Builder builder) {
    this.group = builder.group;
    this.maxUnacked = builder.maxUnacked;
    this.ackTimeout = builder.ackTimeout;
    this.maxDeliveries = builder.maxDeliveries;
    this.resumeAfter = builder.resumeAfter;
    this.onGap = builder.onGap;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.group = group;
    builder.maxUnacked = maxUnacked;
    builder.ackTimeout = ackTimeout;
    builder.maxDeliveries = maxDeliveries;
    builder.resumeAfter = resumeAfter;
    builder.onGap = onGap;
    return builder;
  }

  /** The group whose member this subscriber is; empty for broadcast. */
  public Optional<String> group() {
    return Optional.ofNullable(group);
  }

  public int maxUnacked() {
    return maxUnacked;
  }

  public Duration ackTimeout() {
    return ackTimeout;
  }

  public int maxDeliveries() {
    return maxDeliveries;
  }

  public Map<String, String> resumeAfter() {
    return resumeAfter;
  }

  public BiConsumer<List<String>, Status> onGap() {
    return onGap;
  }

  /** Builds {@link SubscriberOptions}. */
  public static final class Builder {
    private String group;
    private int maxUnacked = 100;
    private Duration ackTimeout = Duration.ofSeconds(30);
    private int maxDeliveries = 5;
    private Map<String, String> resumeAfter = Map.of();
    private BiConsumer<List<String>, Status> onGap = (channels, status) -> {};

    private Builder() {}

    /** Receive ONE messages as a member of this group; default none (broadcast). */
    public Builder setGroup(String group) {
      if (Check.notNull("group", group).isEmpty()) {
        throw new IllegalArgumentException("group must not be empty");
      }
      this.group = group;
      return this;
    }

    /** Groups: messages held unacknowledged at most, 1 to 1000; default 100. */
    public Builder setMaxUnacked(int maxUnacked) {
      this.maxUnacked = Check.between("maxUnacked", maxUnacked, 1, 1000);
      return this;
    }

    /**
     * Groups: redelivered to another member after this long unacknowledged, 100 ms to 1 h; default
     * 30 s.
     */
    public Builder setAckTimeout(Duration ackTimeout) {
      this.ackTimeout =
          Check.between("ackTimeout", ackTimeout, Duration.ofMillis(100), Duration.ofHours(1));
      return this;
    }

    /** Groups: deliveries before a message goes to {@code <channel>.dead}, 1 to 100; default 5. */
    public Builder setMaxDeliveries(int maxDeliveries) {
      this.maxDeliveries = Check.between("maxDeliveries", maxDeliveries, 1, 100);
      return this;
    }

    /**
     * Broadcast: replay what came after these ids (per channel) before going live; default none.
     */
    public Builder setResumeAfter(Map<String, String> ids) {
      this.resumeAfter = Map.copyOf(Check.notNull("resumeAfter", ids));
      return this;
    }

    /**
     * Told when the gateway says messages were trimmed before this subscriber got them; default
     * nobody.
     */
    public Builder setOnGap(BiConsumer<List<String>, Status> onGap) {
      this.onGap = Check.notNull("onGap", onGap);
      return this;
    }

    public SubscriberOptions build() {
      return new SubscriberOptions(this);
    }
  }
}
