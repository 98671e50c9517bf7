package io.kvdb.lua.pools;

import java.util.Map;

/** What an update changes of a pool: each null value is kept as it is. */
public record PoolUpdate(Integer weight, String flavor, Map<String, Object> options) {}
