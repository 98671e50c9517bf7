-- flavors/delete: deletes a flavor no pool serves. Queues placed through it stay where they are.
--
-- KEYS[1]  the flavors' names, kvdb:pools:{pools}:flavors (see lib/pools for the layout)
-- KEYS[2]  the prefix of flavor records, kvdb:pools:{pools}:f:
-- KEYS[3]  the pools' names, kvdb:pools:{pools}:names
-- KEYS[4]  the prefix of pool records, kvdb:pools:{pools}:p:
-- ARGV[1]  the name
-- Reply    1
-- Errors   KVDB_NOT_FOUND when no flavor has the name; KVDB_IN_USE while a pool serves it
-- @include lib/pools

local flavor_names_key, flavor_prefix, names_key, pool_prefix = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local name = ARGV[1]

if not is_pool_name(name) or redis.call('EXISTS', flavor_prefix .. name) == 0 then
  return redis.error_reply('KVDB_NOT_FOUND no flavor is named ' .. name:sub(1, 64))
end
local serving = flavor_pools(names_key, pool_prefix, name)
if #serving > 0 then
  return redis.error_reply('KVDB_IN_USE flavor ' .. name .. ' is served by pool ' ..
    serving[1] .. (#serving > 1 and (' and ' .. (#serving - 1) .. ' more') or '') ..
    '; give them another flavor first')
end
redis.call('DEL', flavor_prefix .. name)
redis.call('ZREM', flavor_names_key, name)
return 1
