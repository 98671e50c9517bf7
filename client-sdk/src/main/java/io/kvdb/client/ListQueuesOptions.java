package io.kvdb.client;

/**
 * Which queues {@link QueueClient#list} and {@link QueueClient#listAll} return: a name prefix,
 * whether with metadata, and the page.
 *
 * <pre>{@code
 * for (Queue queue : kvdb.queues().listAll(ListQueuesOptions.newBuilder().setPrefix("billing.").build())) { ... }
 * }</pre>
 */
public final class ListQueuesOptions {
  /** Every queue, without metadata, from the first page. */
  public static final ListQueuesOptions ALL = newBuilder().build();

  private final String prefix;
  private final boolean includeMetadata;
  private final int pageSize;
  private final String pageToken;

  private ListQueuesOptions(Builder builder) {
    this.prefix = builder.prefix;
    this.includeMetadata = builder.includeMetadata;
    this.pageSize = builder.pageSize;
    this.pageToken = builder.pageToken;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .setPrefix(prefix)
        .setIncludeMetadata(includeMetadata)
        .setPageSize(pageSize)
        .setPageToken(pageToken);
  }

  public String prefix() {
    return prefix;
  }

  public boolean includeMetadata() {
    return includeMetadata;
  }

  /** 0 for the gateway's default (10; {@link QueueClient#listAll} reads 1000 at a time). */
  public int pageSize() {
    return pageSize;
  }

  /** Empty for the first page. */
  public String pageToken() {
    return pageToken;
  }

  /** Builds {@link ListQueuesOptions}. */
  public static final class Builder {
    private String prefix = "";
    private boolean includeMetadata;
    private int pageSize;
    private String pageToken = "";

    private Builder() {}

    /** Only queues whose name starts with it; default all. */
    public Builder setPrefix(String prefix) {
      this.prefix = Check.notNull("prefix", prefix);
      return this;
    }

    /** Return each queue's metadata too; default false. */
    public Builder setIncludeMetadata(boolean includeMetadata) {
      this.includeMetadata = includeMetadata;
      return this;
    }

    /** Queues in the page at most, 1 to 1000; default 10. */
    public Builder setPageSize(int pageSize) {
      this.pageSize = Check.between("pageSize", pageSize, 0, 1000);
      return this;
    }

    /**
     * The {@code next_page_token} of the previous page, listed with the same prefix; default none.
     */
    public Builder setPageToken(String pageToken) {
      this.pageToken = Check.notNull("pageToken", pageToken);
      return this;
    }

    public ListQueuesOptions build() {
      return new ListQueuesOptions(this);
    }
  }
}
