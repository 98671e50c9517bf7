/**
 * {@code kvdb.v1.MessageService} ({@code messages.proto}) over {@code io.kvdb.lua.messages} and
 * {@code lua/scripts/messages/}: {@code MessageService} posts (registering a queue the post
 * created), lists, gets, deletes and pops. {@code MessageLimits} holds the bounds messages and
 * claims respect (TTL, delay, claim TTL and grace, post size, the window of posts' idempotency
 * keys), configurable per gateway; {@code MessageProtos} maps stored messages to proto for claims
 * too; {@code DeadLetterMover} moves dead letters from a queue's outbox into their dead-letter
 * queue, after the claim that produced them and in the collector's rounds. Claims on these messages
 * are {@code io.kvdb.gateway.claims}.
 */
package io.kvdb.gateway.messages;
