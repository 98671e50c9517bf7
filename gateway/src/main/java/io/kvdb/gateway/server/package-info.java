/**
 * Wiring, and only wiring: {@code Gateway} starts a gateway (the configured Redis or an embedded
 * one, the scripts loaded, a Netty server with every KVDB service, health and reflection), releases
 * whatever it had started when a step fails, and stops gracefully (NOT_SERVING, no new calls, a
 * grace period for those in flight). Beside it are the configuration (flags, environment variables
 * and defaults, checked before anything starts), the Redis the gateway owns or connects to, the
 * watcher that keeps the health status in step with Redis answering PING, and the assembly of each
 * domain's service over its {@code io.kvdb.lua} entry point together with the background jobs of
 * {@code io.kvdb.gateway.jobs}. No request is handled here.
 */
package io.kvdb.gateway.server;
