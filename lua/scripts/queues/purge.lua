-- queues/purge: deletes up to `budget` messages of a deleted queue's trash (see queues/delete).
-- The gateway lists a trash key before queues/delete makes it, so a key that does not exist yet
-- is pending while its queue lives (the delete has not run, or died before it ran), and stale
-- once the queue is gone.
--
-- KEYS[1]  the trash key, kvdb:q:{project/queue}:trash:<...> (a zset of message ids)
-- KEYS[2]  the queue hash, kvdb:q:{project/queue}
-- ARGV[1]  the prefix of the queue's message keys, kvdb:q:{project/queue}:m:
-- ARGV[2]  budget
-- Reply    the number of ids still in the trash, or -1 when it is pending
if redis.call('EXISTS', KEYS[1]) == 0 then
  return redis.call('EXISTS', KEYS[2]) == 1 and -1 or 0
end
local ids = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1)
for _, id in ipairs(ids) do
  redis.call('UNLINK', ARGV[1] .. id)
end
if #ids > 0 then
  redis.call('ZREM', KEYS[1], unpack(ids))
end
return redis.call('ZCARD', KEYS[1])
