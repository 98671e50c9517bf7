/**
 * Conformance of {@code kvdb.v1.ClaimService} ({@code claims.proto}) and the SDK consumer built on
 * it: claims one at a time, expiry, long polling woken by a post, the Consume stream, dead letters
 * after {@code _max_claim_count} deliveries, and no message held by two live claims under
 * contention, checked on claim spans taken from the Redis clock rather than by timing.
 */
package io.kvdb.conformance.claims;
