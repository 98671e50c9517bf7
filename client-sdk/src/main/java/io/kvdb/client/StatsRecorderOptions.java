package io.kvdb.client;

import java.util.function.Consumer;

/**
 * How a {@link StatsRecorder} reports what it could not record.
 *
 * <pre>{@code
 * StatsRecorderOptions options = StatsRecorderOptions.newBuilder()
 *     .setOnRejected(rejection -> metrics.increment("stats.rejected"))
 *     .build();
 * try (StatsRecorder stats = kvdb.stats().recorder(options)) { ... }
 * }</pre>
 */
public final class StatsRecorderOptions {
  /** Rejections are logged. */
  public static final StatsRecorderOptions DEFAULTS = newBuilder().build();

  private final Consumer<StatsRecorder.Rejection> onRejected;

  private StatsRecorderOptions(Builder builder) {
    this.onRejected = builder.onRejected;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().setOnRejected(onRejected);
  }

  public Consumer<StatsRecorder.Rejection> onRejected() {
    return onRejected;
  }

  /** Builds {@link StatsRecorderOptions}. */
  public static final class Builder {
    private Consumer<StatsRecorder.Rejection> onRejected = StatsRecorder.Rejection::log;

    private Builder() {}

    /**
     * Hears each invocation the recorder or the gateway refused on its own (it is also counted in
     * {@link StatsRecorder#dropped()}); default: logged as a warning.
     */
    public Builder setOnRejected(Consumer<StatsRecorder.Rejection> onRejected) {
      this.onRejected = Check.notNull("onRejected", onRejected);
      return this;
    }

    public StatsRecorderOptions build() {
      return new StatsRecorderOptions(this);
    }
  }
}
