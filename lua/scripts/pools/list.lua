-- pools/list: every pool, "default" first, then the others in name order (at most lib/pools
-- MAX_POOLS).
--
-- KEYS[1]  the pools' names, kvdb:pools:{pools}:names (see lib/pools for the layout)
-- KEYS[2]  the prefix of pool records, kvdb:pools:{pools}:p:
-- Reply    {pool fields (lib/pools pool_fields, seven values per pool), ...}
-- @include lib/pools

local names_key, pool_prefix = KEYS[1], KEYS[2]
local reply = {}
for _, name in ipairs(pool_names(names_key)) do
  local fields = pool_fields(pool_prefix, name)
  if fields then
    for _, field in ipairs(fields) do
      reply[#reply + 1] = field
    end
  end
end
return reply
