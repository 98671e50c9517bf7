package io.kvdb.client;

/**
 * Which page of a listing to read: its size and the {@code next_page_token} of the page before.
 * Used by the listings that take nothing else (locks, services, dictionary systems, keys).
 *
 * <pre>{@code
 * ListLocksResponse first = kvdb.locks().list(PageOptions.newBuilder().setPageSize(100).build());
 * ListLocksResponse next = kvdb.locks().list(PageOptions.newBuilder().setPageToken(first.getNextPageToken()).build());
 * }</pre>
 */
public final class PageOptions {
  /** The first page, of the gateway's default size (10; for keys 100). */
  public static final PageOptions FIRST = newBuilder().build();

  private final int pageSize;
  private final String pageToken;

  private PageOptions(Builder builder) {
    this.pageSize = builder.pageSize;
    this.pageToken = builder.pageToken;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().setPageSize(pageSize).setPageToken(pageToken);
  }

  /** 0 for the gateway's default (10; for keys 100). */
  public int pageSize() {
    return pageSize;
  }

  /** Empty for the first page. */
  public String pageToken() {
    return pageToken;
  }

  /** Builds {@link PageOptions}. */
  public static final class Builder {
    private int pageSize;
    private String pageToken = "";

    private Builder() {}

    /** Items in the page at most, 1 to 1000; default (0) the gateway's. */
    public Builder setPageSize(int pageSize) {
      this.pageSize = Check.between("pageSize", pageSize, 0, 1000);
      return this;
    }

    /** The {@code next_page_token} of the previous page; default none (the first page). */
    public Builder setPageToken(String pageToken) {
      this.pageToken = Check.notNull("pageToken", pageToken);
      return this;
    }

    public PageOptions build() {
      return new PageOptions(this);
    }
  }
}
