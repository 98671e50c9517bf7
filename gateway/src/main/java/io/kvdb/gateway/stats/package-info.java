/**
 * {@code kvdb.v1.StatsService} ({@code stats.proto}) over {@code io.kvdb.lua.stats} and {@code
 * lua/scripts/stats/}: {@code StatsService} validates, records and reads, and turns aggregates into
 * figures (rate, mean, percentiles, rankings); {@code Ranges} turns a time range into the periods
 * to read, at one resolution or as a total; {@code StatsProtos} maps records to proto; {@code
 * StatsProjects} is the roll-up job's round over every project and service, which {@code
 * io.kvdb.gateway.jobs} runs on one gateway.
 */
package io.kvdb.gateway.stats;
