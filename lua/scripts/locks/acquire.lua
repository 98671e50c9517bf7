-- locks/acquire: takes a lock if no live lease holds it, with the next fence for its name.
--
-- KEYS[1]  the lock hash, kvdb:lock:{project}:h:<name> (t token, f fence, o owner label,
--          a acquired ms, e expires ms), expiring with its lease
-- KEYS[2]  the project's fences, kvdb:lock:{project}:fences (hash name -> last fence; never
--          expires, so fences keep rising after a lock key expires)
-- KEYS[3]  the project's lock names, kvdb:lock:{project}:names (zset, all scores 0)
-- ARGV[1]  the lock name
-- ARGV[2]  the new token
-- ARGV[3]  the lease in ms
-- ARGV[4]  the owner label
-- Reply    acquired: {1, fence, acquired_ms, expires_ms, now_ms}
--          held:     {0, holder_fence, acquired_ms, expires_ms, now_ms, holder_label}
-- Errors   none
-- @include lib/now

local lock_key, fences_key, names_key = KEYS[1], KEYS[2], KEYS[3]
local name, token, lease, label = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local now = now_ms()

local holder = redis.call('HMGET', lock_key, 'f', 'a', 'e', 'o')
if holder[1] then
  return {0, tonumber(holder[1]), tonumber(holder[2]), tonumber(holder[3]), now, holder[4]}
end

local fence = redis.call('HINCRBY', fences_key, name, 1)
local expires = now + lease
redis.call('HSET', lock_key, 't', token, 'f', fence, 'o', label, 'a', now, 'e', expires)
redis.call('PEXPIRE', lock_key, lease)
redis.call('ZADD', names_key, 0, name)
return {1, fence, now, expires, now}
