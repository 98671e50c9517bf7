-- queues/delete: deletes a queue's hash and its message indexes. Deleting a missing queue is
-- not an error.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue}; the indexes are this key plus a suffix
-- ARGV     the index suffixes to delete (from the Java key schema, so they are named once)
-- Reply    1 when the queue existed, 0 when it did not
-- Errors   none

local queue_key = KEYS[1]
local existed = redis.call('EXISTS', queue_key)
local doomed = {queue_key}
for i = 1, #ARGV do
  doomed[#doomed + 1] = queue_key .. ARGV[i]
end
redis.call('UNLINK', unpack(doomed))
return existed
