-- pools/update: changes a pool's weight, flavor or options and announces it (pool:<name>). The
-- first update of "default" writes its record (weight 1, no flavor, created now); its uri is
-- never stored.
--
-- KEYS[1]  the prefix of pool records, kvdb:pools:{pools}:p: (see lib/pools for the layout)
-- KEYS[2]  the prefix of flavor records, kvdb:pools:{pools}:f:
-- ARGV[1]  the name
-- ARGV[2]  '1' to set the weight to ARGV[3] (0..1000), '0' to keep it
-- ARGV[4]  '1' to set the flavor to ARGV[5] ('' for none), '0' to keep it
-- ARGV[6]  '1' to set the options to ARGV[7] (msgpack map, at most 4 KiB), '0' to keep them
-- ARGV[8]  the channel to announce on; ARGV[9] the announcement, pool:<name>
-- Reply    the pool's fields (lib/pools pool_fields)
-- Errors   KVDB_INVALID naming pool.weight, pool.flavor (a flavor that does not exist) or
--          pool.options; KVDB_NOT_FOUND when no pool has the name
-- @include lib/now
-- @include lib/pools

local pool_prefix, flavor_prefix = KEYS[1], KEYS[2]
local name, channel, announcement = ARGV[1], ARGV[8], ARGV[9]
local weight = ARGV[2] == '1' and ARGV[3] or nil
local flavor = ARGV[4] == '1' and ARGV[5] or nil
local options = ARGV[6] == '1' and ARGV[7] or nil

if not (is_pool_name(name) and pool_fields(pool_prefix, name)) then
  return redis.error_reply('KVDB_NOT_FOUND no pool is named ' .. name:sub(1, 64))
end
local refused = pool_settings_error(flavor_prefix, weight, flavor, options)
if refused then
  return refused
end

local key = pool_prefix .. name
if name == DEFAULT_POOL and redis.call('HEXISTS', key, 'w') == 0 then
  redis.call('HSET', key, 'w', 1, 'fl', '', 'o', '', 'cr', now_ms())
end
if weight then
  redis.call('HSET', key, 'w', weight)
end
if flavor then
  redis.call('HSET', key, 'fl', flavor)
end
if options then
  redis.call('HSET', key, 'o', options)
end
redis.call('PUBLISH', channel, announcement)
return pool_fields(pool_prefix, name)
