/**
 * Calls that wait for something to change in Redis, holding no thread and no Redis connection while
 * they wait. {@code PatientCall} makes an attempt at once and, while its wait lasts, again when the
 * watched key changes or the attempt's own retry time comes, ending before the call's deadline;
 * {@code Wakeups} keeps one pub/sub subscription (a lua {@code ChannelSubscription}) per
 * announcement channel ({@code kvdb:events:*}, published by the scripts) for the whole gateway and
 * decides which callers parked on a key each announcement wakes, whichever gateway made the change.
 * Used by Acquire with a wait ({@code locks}), the long-polling CreateClaim and the Consume stream
 * ({@code claims}) and the Subscribe stream ({@code broker}).
 */
package io.kvdb.gateway.wait;
