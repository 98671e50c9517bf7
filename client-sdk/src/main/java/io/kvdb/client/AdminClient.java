package io.kvdb.client;

/**
 * The administrators' services, for a client whose credential has the admin role: API keys and
 * project quotas. Their calls act on any project, whatever the client's.
 */
public final class AdminClient {
  private final KeyClient keys;
  private final QuotaClient quotas;

  AdminClient(KvdbClient client) {
    this.keys = new KeyClient(client);
    this.quotas = new QuotaClient(client);
  }

  /** API keys: create, list, revoke, rotate. */
  public KeyClient keys() {
    return keys;
  }

  /** Per-project quotas: set, get with usage. */
  public QuotaClient quotas() {
    return quotas;
  }
}
