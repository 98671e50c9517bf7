-- queues/delete: deletes a queue in O(1): its hash and indexes go at once, and the list of its
-- messages is set aside under a trash key for the collector to delete in bounded steps (a
-- queue may hold millions); dead letters not yet moved (a handful) go with the queue. Deleting
-- a missing queue is not an error.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue} (see lib/messages for the layout)
-- Reply    {existed (1 or 0), trash key or '' when there were no messages}
-- @include lib/now

local queue_key = KEYS[1]
local existed = redis.call('EXISTS', queue_key)
local trash = ''
if redis.call('EXISTS', queue_key .. ':all') == 1 then
  trash = queue_key .. ':trash:' .. now_ms() .. ':' .. redis.call('HINCRBY', queue_key, 'n', 0)
  redis.call('RENAME', queue_key .. ':all', trash)
end
for _, id in ipairs(redis.call('ZRANGE', queue_key .. ':dlq', 0, -1)) do
  redis.call('UNLINK', queue_key .. ':dlq:m:' .. id)
end
redis.call('UNLINK', queue_key, queue_key .. ':ready', queue_key .. ':delayed', queue_key .. ':claimed',
  queue_key .. ':expiry', queue_key .. ':dlq', queue_key .. ':accepted')
return {existed, trash}
