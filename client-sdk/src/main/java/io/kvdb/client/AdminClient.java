package io.kvdb.client;

/**
 * The administrators' services, for a client whose credential has the admin role: API keys, project
 * quotas, and (on a gateway with {@code --admin-api}) pools and flavors. Their calls act on any
 * project, whatever the client's.
 */
public final class AdminClient {
  private final KeyClient keys;
  private final QuotaClient quotas;
  private final PoolClient pools;
  private final FlavorClient flavors;

  AdminClient(KvdbClient client) {
    this.keys = new KeyClient(client);
    this.quotas = new QuotaClient(client);
    this.pools = new PoolClient(client);
    this.flavors = new FlavorClient(client);
  }

  /** API keys: create, list, revoke, rotate. */
  public KeyClient keys() {
    return keys;
  }

  /** Per-project quotas: set, get with usage. */
  public QuotaClient quotas() {
    return quotas;
  }

  /** Pools, the Redis deployments queues live in: create, get, list, update, delete, migrate. */
  public PoolClient pools() {
    return pools;
  }

  /** Flavors, the groups of pools queues ask for: create, get, list, set default, delete. */
  public FlavorClient flavors() {
    return flavors;
  }
}
