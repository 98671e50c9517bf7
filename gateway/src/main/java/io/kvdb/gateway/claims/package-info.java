/**
 * {@code kvdb.v1.ClaimService} ({@code claims.proto}) over {@code io.kvdb.lua.claims} and {@code
 * lua/scripts/claims/}: {@code ClaimService} creates a claim, waiting up to the asked time for a
 * post when the queue has nothing free, and reads, updates and releases claims; {@code
 * ConsumeSession} is one Consume stream, which claims within the credit the client granted, pushes
 * each batch with its claim id, settles acks and releases, and releases what is left when the
 * stream ends; {@code ClaimBounds} checks TTL and grace against the gateway's {@code
 * MessageLimits}. Dead letters a claim produces are moved by {@code io.kvdb.gateway.messages}.
 */
package io.kvdb.gateway.claims;
