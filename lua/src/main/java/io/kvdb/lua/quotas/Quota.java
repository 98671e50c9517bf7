package io.kvdb.lua.quotas;

/**
 * A project's limits; 0 is no limit. {@code burst} 0 with a rate means one second's worth.
 *
 * @param maxQueues queues the project may hold
 * @param maxMessages messages stored in all its queues
 * @param maxBytes bytes (bodies and attributes) stored in all its queues
 * @param maxChannels broker channels it may publish to
 * @param requestsPerSecond calls per second, over all gateways
 * @param burst calls allowed at once above the rate (the bucket's capacity)
 */
public record Quota(
    long maxQueues,
    long maxMessages,
    long maxBytes,
    long maxChannels,
    long requestsPerSecond,
    long burst) {
  public static final Quota NONE = new Quota(0, 0, 0, 0, 0, 0);

  public boolean limitsStorage() {
    return maxMessages > 0 || maxBytes > 0;
  }

  public boolean limitsRate() {
    return requestsPerSecond > 0;
  }
}
