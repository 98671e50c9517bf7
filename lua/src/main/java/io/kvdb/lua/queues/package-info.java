/**
 * Queues as Zaqar has them, over {@code lua/scripts/queues/}: {@code Queues} creates, reads,
 * updates, deletes and counts a queue (one script each), lists a project's queues, and keeps the
 * project's queue registry, which has another hash tag than the queue's own keys, converging on the
 * queues that exist. {@code QueueMetadata} is how metadata is stored (a queue-hash field {@code
 * m:<key>} per top-level key, msgpack values); the records are what the calls take and return,
 * {@code QueueRef} naming a queue within its project. The messages and claims packages work on the
 * same queue hash {@code kvdb:q:{project/queue}}; the gateway's {@code queues} package serves this
 * one as {@code kvdb.v1.QueueService}, and its collector uses the registry and the trash of deleted
 * queues.
 */
package io.kvdb.lua.queues;
