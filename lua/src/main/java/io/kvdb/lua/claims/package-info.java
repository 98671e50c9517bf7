/**
 * Claims over {@code lua/scripts/claims/}: {@code Claims} claims the oldest free messages of a
 * queue (sending a message delivered {@code _max_claim_count} times to the queue's dead-letter
 * outbox instead), reads, extends and releases a claim, and settles messages a Consume stream was
 * given (an ack deletes, a release returns them at their rank). A claim lives under its queue's
 * hash tag beside the messages, so the queue reference comes from {@code io.kvdb.lua.queues} and
 * the message records from {@code io.kvdb.lua.messages}. The gateway's {@code claims} package
 * serves this one as {@code kvdb.v1.ClaimService}.
 */
package io.kvdb.lua.claims;
