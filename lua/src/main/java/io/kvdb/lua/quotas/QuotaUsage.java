package io.kvdb.lua.quotas;

/**
 * What a project uses. Queues and channels are exact at the time of the read; messages and bytes
 * are the collector's figures as of {@code measuredAtMs} (0: never measured).
 */
public record QuotaUsage(
    long queues, long channels, long messages, long bytes, long measuredAtMs) {}
