package io.kvdb.client;

import io.kvdb.proto.v1.DeliveryMode;
import java.util.Map;

/**
 * How {@link BrokerClient#publish(String, byte[], PublishOptions)} publishes: to every subscriber
 * ({@code ALL}) or to one member of each group ({@code ONE}), with attributes.
 *
 * <pre>{@code
 * PublishOptions invoice = PublishOptions.newBuilder()
 *     .setMode(DeliveryMode.ONE).setAttributes(Map.of("kind", "invoice")).build();
 * String id = kvdb.broker().publish("billing", payload, invoice);
 * }</pre>
 */
public final class PublishOptions {
  /** To every subscriber, without attributes. */
  public static final PublishOptions DEFAULTS = newBuilder().build();

  private final DeliveryMode mode;
  private final Map<String, ?> attributes;

  private PublishOptions(Builder builder) {
    this.mode = builder.mode;
    this.attributes = builder.attributes;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().setMode(mode).setAttributes(attributes);
  }

  public DeliveryMode mode() {
    return mode;
  }

  public Map<String, ?> attributes() {
    return attributes;
  }

  /** Builds {@link PublishOptions}. */
  public static final class Builder {
    private DeliveryMode mode = DeliveryMode.ALL;
    private Map<String, ?> attributes = Map.of();

    private Builder() {}

    /** {@code ALL} or {@code ONE}; default {@code ALL}. */
    public Builder setMode(DeliveryMode mode) {
      if (Check.notNull("mode", mode) == DeliveryMode.UNRECOGNIZED) {
        throw new IllegalArgumentException("mode must be ALL or ONE, was UNRECOGNIZED");
      }
      this.mode = mode;
      return this;
    }

    /** JSON-like values delivered with the payload; default none. */
    public Builder setAttributes(Map<String, ?> attributes) {
      this.attributes = Map.copyOf(Check.notNull("attributes", attributes));
      return this;
    }

    public PublishOptions build() {
      return new PublishOptions(this);
    }
  }
}
