-- flavors/update: sets whether a flavor is the default one; made the default, it takes the mark
-- from the previous one.
--
-- KEYS[1]  the flavors' names, kvdb:pools:{pools}:flavors (see lib/pools for the layout)
-- KEYS[2]  the prefix of flavor records, kvdb:pools:{pools}:f:
-- KEYS[3]  the pools' names, kvdb:pools:{pools}:names
-- KEYS[4]  the prefix of pool records, kvdb:pools:{pools}:p:
-- ARGV[1]  the name; ARGV[2] '1' to make it the default flavor, '0' to make it an ordinary one
-- Reply    the flavor's fields (lib/pools flavor_fields)
-- Errors   KVDB_NOT_FOUND when no flavor has the name
-- @include lib/pools

local flavor_names_key, flavor_prefix, names_key, pool_prefix = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local name, is_default = ARGV[1], ARGV[2] == '1'

if not is_pool_name(name) or redis.call('EXISTS', flavor_prefix .. name) == 0 then
  return redis.error_reply('KVDB_NOT_FOUND no flavor is named ' .. name:sub(1, 64))
end
if is_default then
  make_default_flavor(flavor_names_key, flavor_prefix, name)
else
  redis.call('HDEL', flavor_prefix .. name, 'def')
end
return flavor_fields(flavor_prefix, names_key, pool_prefix, name)
