package io.kvdb.client;

import java.util.Map;

/**
 * A pool to register with {@link PoolClient#create}: its name, the deployment's URI (as the
 * gateway's {@code --redis} takes it), its weight (0..1000; 0 takes no new queues), the flavor it
 * serves ("" for none) and free-form options (at most 4 KiB). The gateway checks the ranges.
 *
 * <pre>{@code
 * NewPool pool = NewPool.of("eu-2", "redis://eu-2:6379").withWeight(100).withFlavor("fast");
 * }</pre>
 */
public record NewPool(
    String name, String uri, int weight, String flavor, Map<String, Object> options) {
  public NewPool {
    Check.notNull("name", name);
    Check.notNull("uri", uri);
    Check.notNull("flavor", flavor);
    options = Map.copyOf(Check.notNull("options", options));
  }

  /** A pool of weight 0 (no queue goes there before it is meant to), no flavor, no options. */
  public static NewPool of(String name, String uri) {
    return new NewPool(name, uri, 0, "", Map.of());
  }

  public NewPool withWeight(int weight) {
    return new NewPool(name, uri, weight, flavor, options);
  }

  public NewPool withFlavor(String flavor) {
    return new NewPool(name, uri, weight, flavor, options);
  }

  public NewPool withOptions(Map<String, Object> options) {
    return new NewPool(name, uri, weight, flavor, options);
  }

  /** Hides the URI, which may hold a password. */
  @Override
  public String toString() {
    return "NewPool[name=" + name + ", weight=" + weight + ", flavor=" + flavor + "]";
  }
}
