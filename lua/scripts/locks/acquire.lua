-- locks/acquire: takes a lock if no live lease holds it, with the next fence for its name.
--
-- KEYS[1]  the lock hash, kvdb:lock:{project}:h:<name> (t token, f fence, o owner label,
--          a acquired ms, e expires ms), expiring with its lease
-- KEYS[2]  the project's fences, kvdb:lock:{project}:fences (hash name -> last fence)
-- KEYS[3]  the project's lock names, kvdb:lock:{project}:names (zset, all scores 0)
-- KEYS[4]  when each name of KEYS[2] was last held, kvdb:lock:{project}:fence-ages (zset,
--          score: lease end or release, ms)
-- KEYS[5]  the project's fence floor, kvdb:lock:{project}:fence-floor (string: the highest
--          fence of any name forgotten so far)
-- ARGV[1]  the lock name
-- ARGV[2]  the new token
-- ARGV[3]  the lease in ms
-- ARGV[4]  the owner label
-- ARGV[5]  how long after it was last held a name's fence is forgotten, ms
-- Reply    acquired: {1, fence, acquired_ms, expires_ms, now_ms}
--          held:     {0, holder_fence, acquired_ms, expires_ms, now_ms, holder_label}
-- Errors   none
--
-- Fences count up per name (1, 2, 3...) while the name is in use. So that the fences of names
-- nobody uses again do not pile up, each call forgets a few names last held more than ARGV[5]
-- ago, folding their fences into the project's floor; a name without a remembered fence (new,
-- or forgotten) starts above the floor, hence above every fence it ever had. This needs no
-- clock assumption (a fence derived from TIME would rest on Redis's clock never stepping back),
-- and keeps fences consecutive while a name is in use. Memory: the names held within the last
-- ARGV[5], plus one number per project.
-- @include lib/now

local FORGET_PER_CALL = 4

local lock_key, fences_key, names_key, ages_key, floor_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local name, token, lease, label = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local forget_after = tonumber(ARGV[5])
local now = now_ms()

local function floor()
  return tonumber(redis.call('GET', floor_key) or 0)
end

local function forget_stale_names()
  local stale = redis.call('ZRANGEBYSCORE', ages_key, '-inf', now - forget_after, 'LIMIT', 0, FORGET_PER_CALL)
  if #stale == 0 then
    return
  end
  local highest = floor()
  for _, fence in ipairs(redis.call('HMGET', fences_key, unpack(stale))) do
    if fence then
      highest = math.max(highest, tonumber(fence))
    end
  end
  redis.call('SET', floor_key, highest)
  redis.call('HDEL', fences_key, unpack(stale))
  redis.call('ZREM', ages_key, unpack(stale))
end

forget_stale_names()

local holder = redis.call('HMGET', lock_key, 'f', 'a', 'e', 'o')
if holder[1] then
  return {0, tonumber(holder[1]), tonumber(holder[2]), tonumber(holder[3]), now, holder[4]}
end

local last = redis.call('HGET', fences_key, name)
local fence = (last and tonumber(last) or floor()) + 1
local expires = now + lease
redis.call('HSET', fences_key, name, fence)
redis.call('ZADD', ages_key, expires, name)
redis.call('HSET', lock_key, 't', token, 'f', fence, 'o', label, 'a', now, 'e', expires)
redis.call('PEXPIRE', lock_key, lease)
redis.call('ZADD', names_key, 0, name)
return {1, fence, now, expires, now}
