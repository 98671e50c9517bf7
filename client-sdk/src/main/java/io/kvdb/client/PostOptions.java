package io.kvdb.client;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How {@link MessageClient#post(String, java.util.List, PostOptions)} posts: with the idempotency
 * key of your choice, e.g. one derived from the work the messages stand for, so that a post you
 * repeat yourself (after a crash, from another process) within the gateway's window stores nothing
 * and returns the ids of the first. Without one, the client sends a random key on every post when
 * {@link KvdbClientOptions.Builder#setPostIdempotencyKeys} is on (the default), which covers the
 * SDK's own retries.
 *
 * <pre>{@code
 * PostOptions once = PostOptions.newBuilder().setIdempotencyKey("invoice:" + invoiceId).build();
 * List<String> ids = kvdb.messages().post("invoices", messages, once);
 * }</pre>
 */
public final class PostOptions {
  /** No key of the caller's: the client's default applies. */
  public static final PostOptions DEFAULTS = newBuilder().build();

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  private final String idempotencyKey;

  private PostOptions(Builder builder) {
    this.idempotencyKey = builder.idempotencyKey;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.idempotencyKey = idempotencyKey;
    return builder;
  }

  public Optional<String> idempotencyKey() {
    return Optional.ofNullable(idempotencyKey);
  }

  /** Builds {@link PostOptions}. */
  public static final class Builder {
    private String idempotencyKey;

    private Builder() {}

    /** 1 to 128 characters of {@code A-Z a-z 0-9 _ . : -} (a UUID fits); default none. */
    public Builder setIdempotencyKey(String idempotencyKey) {
      if (!KEY.matcher(Check.notNull("idempotencyKey", idempotencyKey)).matches()) {
        throw new IllegalArgumentException(
            "idempotencyKey must be 1 to 128 characters of A-Z a-z 0-9 _ . : -, was \""
                + idempotencyKey
                + "\"");
      }
      this.idempotencyKey = idempotencyKey;
      return this;
    }

    public PostOptions build() {
      return new PostOptions(this);
    }
  }
}
