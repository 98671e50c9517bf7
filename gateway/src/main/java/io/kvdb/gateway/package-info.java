/**
 * The gRPC gateway. {@code Main} is the entry point of {@code kvdb-gateway.jar}: it reads the
 * configuration, starts a gateway and stops it gracefully on SIGTERM (exit status 2 for a bad flag,
 * 1 for a start that failed). Everything else lives below: {@code server} wires a gateway together,
 * {@code api} is what every service shares (validation, the project header, error mapping), {@code
 * wait} serves calls that wait for a change in Redis, {@code jobs} runs the background work, and
 * one package per domain, named as its proto file, its {@code io.kvdb.lua} package and its script
 * folder (broker, claims, dictionaries, locks, messages, queues, stats), holds the service class of
 * that proto's service. Redis is reached through {@code io.kvdb.lua} only, but for the pub/sub
 * subscriptions of {@code wait} and the health check's PING.
 */
package io.kvdb.gateway;
