package io.kvdb.client;

/**
 * Which messages {@link MessageClient#list} returns: whether the caller's own, claimed and delayed
 * ones too, and the page.
 *
 * <pre>{@code
 * ListMessagesOptions options = ListMessagesOptions.newBuilder().setEcho(true).setPageSize(100).build();
 * ListMessagesResponse page = kvdb.messages().list("invoices", options);
 * }</pre>
 */
public final class ListMessagesOptions {
  /** The first page of 10 free, undelayed messages of other clients. */
  public static final ListMessagesOptions DEFAULTS = newBuilder().build();

  private final boolean echo;
  private final boolean includeClaimed;
  private final boolean includeDelayed;
  private final int pageSize;
  private final String pageToken;

  private ListMessagesOptions(Builder builder) {
    this.echo = builder.echo;
    this.includeClaimed = builder.includeClaimed;
    this.includeDelayed = builder.includeDelayed;
    this.pageSize = builder.pageSize;
    this.pageToken = builder.pageToken;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .setEcho(echo)
        .setIncludeClaimed(includeClaimed)
        .setIncludeDelayed(includeDelayed)
        .setPageSize(pageSize)
        .setPageToken(pageToken);
  }

  public boolean echo() {
    return echo;
  }

  public boolean includeClaimed() {
    return includeClaimed;
  }

  public boolean includeDelayed() {
    return includeDelayed;
  }

  /** 0 for the gateway's default (10). */
  public int pageSize() {
    return pageSize;
  }

  /** Empty for the first page. */
  public String pageToken() {
    return pageToken;
  }

  /** Builds {@link ListMessagesOptions}. */
  public static final class Builder {
    private boolean echo;
    private boolean includeClaimed;
    private boolean includeDelayed;
    private int pageSize;
    private String pageToken = "";

    private Builder() {}

    /** Include messages this client (its client id) posted; default false. */
    public Builder setEcho(boolean echo) {
      this.echo = echo;
      return this;
    }

    /** Include claimed messages; default false. */
    public Builder setIncludeClaimed(boolean includeClaimed) {
      this.includeClaimed = includeClaimed;
      return this;
    }

    /** Include messages whose delay has not passed; default false. */
    public Builder setIncludeDelayed(boolean includeDelayed) {
      this.includeDelayed = includeDelayed;
      return this;
    }

    /** Messages in the page at most, 1 to 100; default 10. */
    public Builder setPageSize(int pageSize) {
      this.pageSize = Check.between("pageSize", pageSize, 0, 100);
      return this;
    }

    /** The {@code next_page_token} of the previous page; default none (the first page). */
    public Builder setPageToken(String pageToken) {
      this.pageToken = Check.notNull("pageToken", pageToken);
      return this;
    }

    public ListMessagesOptions build() {
      return new ListMessagesOptions(this);
    }
  }
}
