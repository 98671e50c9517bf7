-- pools/delete: forgets a pool no queue lives in, and announces it (pool:<name>).
--
-- KEYS[1]  the pools' names, kvdb:pools:{pools}:names (see lib/pools for the layout)
-- KEYS[2]  the prefix of pool records, kvdb:pools:{pools}:p:
-- ARGV[1]  the name; ARGV[2] the channel to announce on; ARGV[3] the announcement, pool:<name>
-- Reply    1
-- Errors   KVDB_NOT_FOUND when no pool has the name; KVDB_IN_USE for "default", and while the
--          pool's count q (lib/pools) says queues live in it or migrate into or out of it
-- @include lib/pools

local names_key, pool_prefix = KEYS[1], KEYS[2]
local name, channel, announcement = ARGV[1], ARGV[2], ARGV[3]

if name == DEFAULT_POOL then
  return redis.error_reply('KVDB_IN_USE the pool default is the control Redis itself and ' ..
    'cannot be deleted')
end
local fields = is_pool_name(name) and pool_fields(pool_prefix, name)
if not fields then
  return redis.error_reply('KVDB_NOT_FOUND no pool is named ' .. name:sub(1, 64))
end
if fields[6] > 0 then
  return redis.error_reply('KVDB_IN_USE ' .. fields[6] .. ' queues live in pool ' .. name ..
    ' or migrate through it; migrate them away first')
end
redis.call('DEL', pool_prefix .. name)
redis.call('ZREM', names_key, name)
redis.call('PUBLISH', channel, announcement)
return 1
