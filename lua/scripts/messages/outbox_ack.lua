-- messages/outbox_ack: forgets dead letters that reached their dead-letter queue.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue}
-- ARGV     message ids
-- Reply    the number forgotten
local queue_key = KEYS[1]
for _, id in ipairs(ARGV) do
  redis.call('DEL', queue_key .. ':dlq:m:' .. id)
end
return redis.call('ZREM', queue_key .. ':dlq', unpack(ARGV))
