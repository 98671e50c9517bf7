-- queues/purge: deletes up to `budget` messages of a deleted queue's trash (see queues/delete).
--
-- KEYS[1]  the trash key, kvdb:q:{project/queue}:trash:<...> (a zset of message ids)
-- ARGV[1]  the prefix of the queue's message keys, kvdb:q:{project/queue}:m:
-- ARGV[2]  budget
-- Reply    the number of ids still in the trash
local ids = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1)
for _, id in ipairs(ids) do
  redis.call('UNLINK', ARGV[1] .. id)
end
if #ids > 0 then
  redis.call('ZREM', KEYS[1], unpack(ids))
end
return redis.call('ZCARD', KEYS[1])
