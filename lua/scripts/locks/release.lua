-- locks/release: deletes a lock the token still holds and announces that it is free, so that
-- gateways wake a waiter at once instead of at the lease's end.
--
-- KEYS[1]  the lock hash, kvdb:lock:{project}:h:<name>
-- KEYS[2]  the project's lock names, kvdb:lock:{project}:names
-- KEYS[3]  when each name was last held, kvdb:lock:{project}:fence-ages (see locks/acquire);
--          the release is the name's last use, so its fence is forgotten counting from now
-- ARGV[1]  the token
-- ARGV[2]  the lock name
-- ARGV[3]  the channel to announce on
-- ARGV[4]  the announcement
-- Reply    the fence the token held
-- Errors   KVDB_NOT_OWNER when the token does not hold the lock
--
-- PUBLISH names no key, so the script stays within one slot on Redis Cluster, where the
-- message still reaches subscribers on every node.
-- @include lib/now

local lock_key, names_key, ages_key = KEYS[1], KEYS[2], KEYS[3]
local token, name, channel, announcement = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local held = redis.call('HMGET', lock_key, 't', 'f')
if held[1] ~= token then
  return redis.error_reply('KVDB_NOT_OWNER the lock is not held by this token')
end
redis.call('DEL', lock_key)
redis.call('ZREM', names_key, name)
redis.call('ZADD', ages_key, 'XX', now_ms(), name)
redis.call('PUBLISH', channel, announcement)
return tonumber(held[2])
