/**
 * {@code kvdb.v1.QueueService} ({@code queues.proto}) over {@code io.kvdb.lua.queues} and {@code
 * lua/scripts/queues/}: {@code QueueService} validates names, pages and metadata, calls {@code
 * Queues} and maps its records to proto; {@code ReservedMetadata} checks the reserved keys ({@code
 * _max_claim_count}, {@code _dead_letter_queue}, ...) when they are set rather than when a message
 * meets them. A queue's messages are served by {@code io.kvdb.gateway.messages}, its claims by
 * {@code io.kvdb.gateway.claims}.
 */
package io.kvdb.gateway.queues;
