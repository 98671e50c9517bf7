-- messages/outbox: up to `count` of the oldest dead letters waiting in a queue's outbox (see
-- claims/create), left in place until messages/outbox_ack confirms their move.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue}
-- ARGV[1]  count
-- Reply    {id, dead-letter queue, ttl ms, body, msgpack attributes or '', move number, ...};
--          letters that expired while waiting are dropped from the outbox
local queue_key, count = KEYS[1], tonumber(ARGV[1])
local reply = {}
for _, id in ipairs(redis.call('ZRANGE', queue_key .. ':dlq', 0, count - 1)) do
  local message = redis.call('HMGET', queue_key .. ':dlq:m:' .. id, 'b', 'a', 'dlt', 'dlq', 'mv')
  if message[1] then
    reply[#reply + 1] = id
    reply[#reply + 1] = message[4]
    reply[#reply + 1] = message[3]
    reply[#reply + 1] = message[1]
    reply[#reply + 1] = message[2] or ''
    reply[#reply + 1] = message[5] or '1'
  else
    redis.call('ZREM', queue_key .. ':dlq', id)
  end
end
return reply
