/**
 * Per-project quotas at the gateway: the administrators' {@code QuotaService}, the cache of each
 * project's quota and usage the checks read, the request-rate limiter and the checks posts and
 * queue creation make.
 */
package io.kvdb.gateway.quotas;
