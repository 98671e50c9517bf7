-- pools/create: registers a pool and announces it (pool:<name>). The gateway has checked that
-- the deployment answers and loaded the scripts there first.
--
-- KEYS[1]  the pools' names, kvdb:pools:{pools}:names (see lib/pools for the layout)
-- KEYS[2]  the prefix of pool records, kvdb:pools:{pools}:p:
-- KEYS[3]  the prefix of flavor records, kvdb:pools:{pools}:f:
-- ARGV[1]  the name; ARGV[2] the uri; ARGV[3] the weight, 0..1000; ARGV[4] the flavor ('' for
--          none); ARGV[5] the options (msgpack map, at most 4 KiB)
-- ARGV[6]  the channel to announce on; ARGV[7] the announcement, pool:<name>
-- Reply    the pool's fields (lib/pools pool_fields)
-- Errors   KVDB_INVALID naming pool.name, pool.uri, pool.weight, pool.flavor (a flavor that
--          does not exist) or pool.options; KVDB_EXISTS when a pool has the name ("default"
--          always does); KVDB_LIMIT past lib/pools MAX_POOLS pools
-- @include lib/now
-- @include lib/pools

local names_key, pool_prefix, flavor_prefix = KEYS[1], KEYS[2], KEYS[3]
local name, uri, weight, flavor, options, channel, announcement =
  ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]

if not is_pool_name(name) then
  return redis.error_reply('KVDB_INVALID pool.name must match ^[A-Za-z0-9_.-]{1,64}$')
end
if #uri < 1 or #uri > 4096 then
  return redis.error_reply('KVDB_INVALID pool.uri must be from 1 to 4096 bytes')
end
local refused = pool_settings_error(flavor_prefix, weight, flavor, options)
if refused then
  return refused
end
if name == DEFAULT_POOL or redis.call('EXISTS', pool_prefix .. name) == 1 then
  return redis.error_reply('KVDB_EXISTS a pool named ' .. name .. ' exists')
end
if redis.call('ZCARD', names_key) >= MAX_POOLS then
  return redis.error_reply('KVDB_LIMIT at most ' .. MAX_POOLS .. ' pools may be registered')
end

redis.call('HSET', pool_prefix .. name, 'uri', uri, 'w', weight, 'fl', flavor, 'o', options,
  'cr', now_ms(), 'q', 0)
redis.call('ZADD', names_key, 0, name)
redis.call('PUBLISH', channel, announcement)
return pool_fields(pool_prefix, name)
