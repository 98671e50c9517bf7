-- flavors/get: a flavor with the pools that serve it.
--
-- KEYS[1]  the prefix of flavor records, kvdb:pools:{pools}:f: (see lib/pools for the layout)
-- KEYS[2]  the pools' names, kvdb:pools:{pools}:names
-- KEYS[3]  the prefix of pool records, kvdb:pools:{pools}:p:
-- ARGV[1]  the name
-- Reply    the flavor's fields (lib/pools flavor_fields)
-- Errors   KVDB_NOT_FOUND when no flavor has the name
-- @include lib/pools

local flavor_prefix, names_key, pool_prefix, name = KEYS[1], KEYS[2], KEYS[3], ARGV[1]
if not is_pool_name(name) or redis.call('EXISTS', flavor_prefix .. name) == 0 then
  return redis.error_reply('KVDB_NOT_FOUND no flavor is named ' .. name:sub(1, 64))
end
return flavor_fields(flavor_prefix, names_key, pool_prefix, name)
