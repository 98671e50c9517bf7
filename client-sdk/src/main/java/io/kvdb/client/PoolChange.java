package io.kvdb.client;

import java.util.Map;
import java.util.Optional;

/**
 * What {@link PoolClient#update} changes of a pool: only what is set; a pool's URI never changes.
 *
 * <pre>{@code
 * kvdb.admin().pools().update("eu-2", PoolChange.weight(0));
 * }</pre>
 */
public record PoolChange(
    Optional<Integer> weight, Optional<String> flavor, Optional<Map<String, Object>> options) {
  public PoolChange {
    Check.notNull("weight", weight);
    Check.notNull("flavor", flavor);
    options = Check.notNull("options", options).map(Map::copyOf);
  }

  /** Changes the weight alone. */
  public static PoolChange weight(int weight) {
    return new PoolChange(Optional.of(weight), Optional.empty(), Optional.empty());
  }

  /** Changes the flavor alone ("" for none). */
  public static PoolChange flavor(String flavor) {
    return new PoolChange(
        Optional.empty(), Optional.of(Check.notNull("flavor", flavor)), Optional.empty());
  }

  /** Replaces the options alone. */
  public static PoolChange options(Map<String, Object> options) {
    return new PoolChange(Optional.empty(), Optional.empty(), Optional.of(options));
  }

  public PoolChange andWeight(int weight) {
    return new PoolChange(Optional.of(weight), flavor, options);
  }

  public PoolChange andFlavor(String flavor) {
    return new PoolChange(weight, Optional.of(Check.notNull("flavor", flavor)), options);
  }

  public PoolChange andOptions(Map<String, Object> options) {
    return new PoolChange(weight, flavor, Optional.of(options));
  }
}
