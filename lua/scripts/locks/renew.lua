-- locks/renew: extends the lease of a lock the token still holds, to lease ms from now.
--
-- KEYS[1]  the lock hash, kvdb:lock:{project}:h:<name>
-- ARGV[1]  the token
-- ARGV[2]  the new lease in ms
-- Reply    {fence, expires_ms}
-- Errors   KVDB_NOT_OWNER when the token does not hold the lock (released, expired, taken over)
-- @include lib/now

local lock_key, token, lease = KEYS[1], ARGV[1], tonumber(ARGV[2])
local held = redis.call('HMGET', lock_key, 't', 'f')
if held[1] ~= token then
  return redis.error_reply('KVDB_NOT_OWNER the lock is not held by this token')
end
local expires = now_ms() + lease
redis.call('HSET', lock_key, 'e', expires)
redis.call('PEXPIRE', lock_key, lease)
return {tonumber(held[2]), expires}
