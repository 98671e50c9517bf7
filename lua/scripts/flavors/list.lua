-- flavors/list: every flavor in name order (at most lib/pools MAX_FLAVORS), with its pools.
--
-- KEYS[1]  the flavors' names, kvdb:pools:{pools}:flavors (see lib/pools for the layout)
-- KEYS[2]  the prefix of flavor records, kvdb:pools:{pools}:f:
-- KEYS[3]  the pools' names, kvdb:pools:{pools}:names
-- KEYS[4]  the prefix of pool records, kvdb:pools:{pools}:p:
-- Reply    {flavor fields (lib/pools flavor_fields), ...}
--
-- The pools are read once for all flavors, so the work is MAX_POOLS + MAX_FLAVORS reads.
-- @include lib/pools

local flavor_names_key, flavor_prefix, names_key, pool_prefix = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local serving = {}
for _, pool in ipairs(pool_names(names_key)) do
  local weight, flavor = pool_weight_and_flavor(pool_prefix, pool)
  if weight and flavor ~= '' then
    serving[flavor] = serving[flavor] or {}
    table.insert(serving[flavor], pool)
  end
end
local reply = {}
for _, name in ipairs(redis.call('ZRANGE', flavor_names_key, 0, MAX_FLAVORS - 1)) do
  local f = redis.call('HMGET', flavor_prefix .. name, 'cr', 'def')
  local pools = serving[name] or {}
  for _, field in ipairs({name, f[2] == '1' and 1 or 0, f[1] or '', #pools}) do
    reply[#reply + 1] = field
  end
  for _, pool in ipairs(pools) do
    reply[#reply + 1] = pool
  end
end
return reply
