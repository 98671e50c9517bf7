/**
 * What every service shares, none of it about one domain: the call's project and client id from the
 * {@code x-project-id} and {@code client-id} headers ({@code ProjectInterceptor}, {@code
 * CallContext}); validation that names the offending field ({@code Names} for anything that becomes
 * part of a Redis key, {@code Bounds}, {@code Durations}, {@code Ids} and the opaque page tokens of
 * {@code PageRequest}); {@code ErrorMapper}, which turns any failure (bad input, a script's {@code
 * KVDB_<REASON>}, Redis unreachable or refusing for now) into a gRPC status with a {@code
 * google.rpc.ErrorInfo} and, for bad input, a {@code google.rpc.BadRequest}; {@code Unary}, which
 * completes a unary call with a result or the mapped status; and the transport guards that answer a
 * body that does not parse or oversized headers with INVALID_ARGUMENT for that call alone, never
 * UNKNOWN or a dropped connection. The domain packages depend on this one; it depends on none of
 * them.
 */
package io.kvdb.gateway.api;
