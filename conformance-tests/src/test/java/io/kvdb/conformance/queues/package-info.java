/**
 * Conformance of {@code kvdb.v1.QueueService} ({@code queues.proto}): a queue's life cycle and
 * stats, listing by name with pages and prefixes, metadata merged or replaced with its limit and
 * reserved keys, and the invariant that a project's listing converges on its queues when deletes
 * race posts that create the queue again.
 */
package io.kvdb.conformance.queues;
