-- messages/outbox: up to `count` dead letters waiting in a queue's outbox (see claims/create),
-- left in place until messages/outbox_ack confirms their move.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue}
-- ARGV[1]  count
-- Reply    {id, dead-letter queue, ttl ms, body, msgpack attributes or '', ...}
local queue_key, count = KEYS[1], tonumber(ARGV[1])
local entries = redis.call('HSCAN', queue_key .. ':dlq', 0, 'COUNT', count)[2]
local reply = {}
for i = 1, math.min(#entries, 2 * count), 2 do
  local id, ttl, target = entries[i], string.match(entries[i + 1], '^(%d+) (.+)$')
  local message = redis.call('HMGET', queue_key .. ':dlq:m:' .. id, 'b', 'a')
  if message[1] then
    reply[#reply + 1] = id
    reply[#reply + 1] = target
    reply[#reply + 1] = ttl
    reply[#reply + 1] = message[1]
    reply[#reply + 1] = message[2] or ''
  else
    redis.call('HDEL', queue_key .. ':dlq', id)
  end
end
return reply
