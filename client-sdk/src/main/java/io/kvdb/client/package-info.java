/**
 * The KVDB Java SDK: {@link io.kvdb.client.KvdbClient}, made from {@link
 * io.kvdb.client.KvdbClientOptions}, holds one channel to a gateway scoped to one project and hands
 * out a client per domain ({@code queues()}, {@code messages()}, {@code claims()}, {@code locks()},
 * {@code stats()}, {@code dictionaries()}, {@code broker()}, {@code admin()}), each owning
 * everything of its domain, long-lived consumers, subscribers and recorders included. Every call
 * blocks and has an {@code ...Async} twin returning a {@link
 * java.util.concurrent.CompletableFuture}; both fail with the same {@link
 * io.kvdb.client.KvdbException}. What a call can be told beyond its short form goes in an immutable
 * options value ({@code newBuilder()}, {@code toBuilder()}) whose setters check each value as it is
 * set. Calls the protos mark safe to repeat are retried on {@code UNAVAILABLE}.
 *
 * <pre>{@code
 * try (KvdbClient kvdb = KvdbClient.create(KvdbClientOptions.newBuilder().setTarget("localhost:50051").build())) {
 *   kvdb.messages().post("invoices", "first");
 *   Claim claim = kvdb.claims().create("invoices", ClaimOptions.newBuilder().setLimit(5).build());
 * }
 * }</pre>
 */
package io.kvdb.client;
