-- locks/get: a lock as others see it.
--
-- KEYS[1]  the lock hash, kvdb:lock:{project}:h:<name>
-- KEYS[2]  the project's fences, kvdb:lock:{project}:fences
-- ARGV[1]  the lock name
-- Reply    held:     {1, fence, acquired_ms, expires_ms, owner_label}
--          not held: {0, last_fence}, 0 when never held or forgotten (see locks/acquire)
-- Errors   none

local holder = redis.call('HMGET', KEYS[1], 'f', 'a', 'e', 'o')
if holder[1] then
  return {1, tonumber(holder[1]), tonumber(holder[2]), tonumber(holder[3]), holder[4]}
end
return {0, tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or 0)}
