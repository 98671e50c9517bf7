-- pools/get: a pool; "default" always exists.
--
-- KEYS[1]  the prefix of pool records, kvdb:pools:{pools}:p: (see lib/pools for the layout)
-- ARGV[1]  the name
-- Reply    the pool's fields (lib/pools pool_fields)
-- Errors   KVDB_NOT_FOUND when no pool has the name
-- @include lib/pools

local pool_prefix, name = KEYS[1], ARGV[1]
local fields = is_pool_name(name) and pool_fields(pool_prefix, name)
if not fields then
  return redis.error_reply('KVDB_NOT_FOUND no pool is named ' .. name:sub(1, 64))
end
return fields
