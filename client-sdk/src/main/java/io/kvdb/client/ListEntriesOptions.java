package io.kvdb.client;

/**
 * Which entries of a system {@link DictionaryClient#listEntries} returns: of one key or all, and
 * the page.
 *
 * <pre>{@code
 * ListEntriesOptions currencies = ListEntriesOptions.newBuilder().setKey("currency").setPageSize(100).build();
 * List<Entry> entries = kvdb.dictionaries().listEntries("CRM", currencies).getEntriesList();
 * }</pre>
 */
public final class ListEntriesOptions {
  /** Every key, the first page of 10. */
  public static final ListEntriesOptions DEFAULTS = newBuilder().build();

  private final String key;
  private final int pageSize;
  private final String pageToken;

  private ListEntriesOptions(Builder builder) {
    this.key = builder.key;
    this.pageSize = builder.pageSize;
    this.pageToken = builder.pageToken;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().setKey(key).setPageSize(pageSize).setPageToken(pageToken);
  }

  /** Empty for every key. */
  public String key() {
    return key;
  }

  /** 0 for the gateway's default (10). */
  public int pageSize() {
    return pageSize;
  }

  /** Empty for the first page. */
  public String pageToken() {
    return pageToken;
  }

  /** Builds {@link ListEntriesOptions}. */
  public static final class Builder {
    private String key = "";
    private int pageSize;
    private String pageToken = "";

    private Builder() {}

    /** Only the entries of this key; default every key. */
    public Builder setKey(String key) {
      this.key = Check.notNull("key", key);
      return this;
    }

    /** Entries in the page at most, 1 to 1000; default 10. */
    public Builder setPageSize(int pageSize) {
      this.pageSize = Check.between("pageSize", pageSize, 0, 1000);
      return this;
    }

    /** The {@code next_page_token} of the previous page; default none (the first page). */
    public Builder setPageToken(String pageToken) {
      this.pageToken = Check.notNull("pageToken", pageToken);
      return this;
    }

    public ListEntriesOptions build() {
      return new ListEntriesOptions(this);
    }
  }
}
