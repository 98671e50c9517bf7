/**
 * {@code kvdb-bench}, the benchmark tool behind {@code docs/BENCHMARKS.md}. {@code Bench} picks a
 * benchmark by name (messages, depth, stats, broker, locks); each is a class that drives the
 * gateway through the Java SDK over gRPC, as a service would, in closed loops that {@code LoadRun}
 * runs for a warm-up and then a measured period (HdrHistogram latencies). {@code BenchTarget} is
 * the gateway measured: the one given with {@code --target}, or one started in-process on a Redis
 * (or a Redis Cluster) it starts itself; {@code RedisReport} adds where Redis's time went, per node
 * ({@code INFO cpu} and {@code commandstats}, the nodes found by {@code RedisNodes}), when the
 * bench can reach that Redis. Speed is measured here and never asserted in a test.
 */
package io.kvdb.bench;
