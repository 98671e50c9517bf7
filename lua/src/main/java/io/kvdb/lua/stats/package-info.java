/**
 * Service statistics over {@code lua/scripts/stats/}: {@code Stats} records batches of invocations
 * into minute buckets, rolls buckets up into hours, days and months, reads the figures of any
 * periods within a budget of bucket reads, keeps samples and slow responses under each service's
 * sampling settings, deletes a service in steps, and keeps the registry of projects the roll-up job
 * visits. {@code Aggregate} merges figures exactly (counts, sums, bounds and a log-scale histogram
 * for percentiles); {@code Level}, {@code Period} and {@code Retention} are the UTC calendar of
 * buckets as {@code lua/scripts/lib/stats.lua} cuts it. A project's statistics share the tag {@code
 * {project}}, so one script records invocations of many services. The gateway's {@code stats}
 * package serves this one as {@code kvdb.v1.StatsService}.
 */
package io.kvdb.lua.stats;
