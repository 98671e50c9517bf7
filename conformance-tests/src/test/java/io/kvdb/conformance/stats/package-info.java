/**
 * Conformance of {@code kvdb.v1.StatsService} ({@code stats.proto}) and the SDK's statistics
 * recorder: each period's figures against those computed from the raw durations, before and after
 * roll-up; top services, samples, slow responses, listing and deleting services; the bounds on what
 * one call may cost, and validation. {@code StatsFixtures} builds the invocations, time windows and
 * expected figures the tests share.
 */
package io.kvdb.conformance.stats;
