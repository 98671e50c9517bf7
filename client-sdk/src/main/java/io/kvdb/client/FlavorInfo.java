package io.kvdb.client;

import io.kvdb.proto.v1.Flavor;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A flavor: whether queues without {@code _flavor} go among its pools, the pools that serve it (in
 * name order), and capabilities derived from them ({@code replicated}, {@code cluster}, {@code
 * failover}, {@code serving}: each "true" or "false").
 */
public record FlavorInfo(
    String name,
    boolean isDefault,
    List<String> pools,
    Map<String, String> capabilities,
    Instant createTime) {
  public FlavorInfo {
    pools = List.copyOf(pools);
    capabilities = Map.copyOf(capabilities);
  }

  /** Whether the capability is "true"; false for one the gateway does not report. */
  public boolean has(String capability) {
    return "true".equals(capabilities.get(capability));
  }

  static FlavorInfo of(Flavor flavor) {
    return new FlavorInfo(
        flavor.getName(),
        flavor.getDefault(),
        flavor.getPoolsList(),
        flavor.getCapabilitiesMap(),
        ProtoTimes.instant(flavor.getCreateTime()));
  }
}
