-- flavors/create: creates a flavor; made the default, it takes the mark from the previous one.
--
-- KEYS[1]  the flavors' names, kvdb:pools:{pools}:flavors (see lib/pools for the layout)
-- KEYS[2]  the prefix of flavor records, kvdb:pools:{pools}:f:
-- KEYS[3]  the pools' names, kvdb:pools:{pools}:names
-- KEYS[4]  the prefix of pool records, kvdb:pools:{pools}:p:
-- ARGV[1]  the name; ARGV[2] '1' to make it the default flavor, '0' not
-- Reply    the flavor's fields (lib/pools flavor_fields)
-- Errors   KVDB_INVALID flavor.name; KVDB_EXISTS when a flavor has the name; KVDB_LIMIT past
--          lib/pools MAX_FLAVORS flavors
-- @include lib/now
-- @include lib/pools

local flavor_names_key, flavor_prefix, names_key, pool_prefix = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local name, is_default = ARGV[1], ARGV[2] == '1'

if not is_pool_name(name) then
  return redis.error_reply('KVDB_INVALID flavor.name must match ^[A-Za-z0-9_.-]{1,64}$')
end
if redis.call('EXISTS', flavor_prefix .. name) == 1 then
  return redis.error_reply('KVDB_EXISTS a flavor named ' .. name .. ' exists')
end
if redis.call('ZCARD', flavor_names_key) >= MAX_FLAVORS then
  return redis.error_reply('KVDB_LIMIT at most ' .. MAX_FLAVORS .. ' flavors may exist')
end

redis.call('HSET', flavor_prefix .. name, 'cr', now_ms())
redis.call('ZADD', flavor_names_key, 0, name)
if is_default then
  make_default_flavor(flavor_names_key, flavor_prefix, name)
end
return flavor_fields(flavor_prefix, names_key, pool_prefix, name)
