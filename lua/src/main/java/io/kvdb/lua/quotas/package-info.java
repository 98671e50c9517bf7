/**
 * Per-project quotas: the record of an administrator's limits, the request-rate token bucket, the
 * exact queue count check, and the usage figures the collector writes ({@code quotas/*} scripts).
 */
package io.kvdb.lua.quotas;
