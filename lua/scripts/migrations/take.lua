-- migrations/take: the source's half of one step of moving a queue: moves up to a budget of its
-- unclaimed messages (free and delayed, oldest rank first) out of every index into the transit
-- (Q:mv), each message hash renamed whole, as the dead-letter outbox does, and returns them for
-- migrations/put. Expired messages are dropped, not moved; claimed ones stay until their claim
-- ends. The sizes of taken messages leave the queue's sz at once (put counts them in the target).
--
-- A transit left by an earlier step (its put or ack never confirmed) is returned again instead,
-- and nothing more is taken: so a crash between steps replays the batch, which put skips where
-- it stored it before. Bounded: at most MAX_TRANSIT messages (lib/moving) and about max_bytes of
-- bodies and attributes per call (always one message at least), a settle of 100 per index.
-- Free messages are taken by rank; delayed ones compete by rank among those due soonest.
--
-- KEYS[1]  the source queue hash, kvdb:q:{project/queue} (see lib/moving)
-- ARGV[1]  the pool the queue moves to, as marked
-- ARGV[2]  budget: the most messages to take (0 only replays a transit); ARGV[3] max_bytes
-- Reply    {now_ms, replayed (1 when the transit is an earlier step's), left (free and delayed
--          messages still here), claimed (messages under a claim), letters (dead letters in the
--          outbox), transit message fields...}: thirteen per message, its id then the fields of
--          TRANSIT_FIELDS (lib/moving)
-- Errors   KVDB_NOT_FOUND when the queue here is not moving out to that pool
-- @include lib/now
-- @include lib/messages
-- @include lib/moving

local queue_key, target = KEYS[1], ARGV[1]
local budget = math.max(0, math.min(math.floor(tonumber(ARGV[2]) or 0), MAX_TRANSIT))
local max_bytes = tonumber(ARGV[3]) or 0
local transit_key = queue_key .. ':mv'
local now = now_ms()

if redis.call('HGET', queue_key, 'mv') ~= target then
  return redis.error_reply('KVDB_NOT_FOUND the queue is not moving out to ' .. target .. ' here')
end

local reply = {now, 0, 0, 0, 0}
local function append_transit(id, fields)
  reply[#reply + 1] = id
  for i = 1, #TRANSIT_FIELDS do
    reply[#reply + 1] = fields[i] or ''
  end
end

if redis.call('EXISTS', transit_key) == 1 then
  reply[2] = 1
  for _, id in ipairs(redis.call('ZRANGE', transit_key, 0, MAX_TRANSIT - 1)) do
    local fields = transit_fields(transit_message_key(queue_key, id))
    if fields[T_RANK] then
      append_transit(id, fields)
    else
      redis.call('ZREM', transit_key, id) -- it expired in transit
    end
  end
elseif budget > 0 then
  settle(queue_key, now, 100)
  local candidates = {}
  local ready = redis.call('ZRANGE', queue_key .. ':ready', 0, budget - 1, 'WITHSCORES')
  for i = 1, #ready, 2 do
    candidates[#candidates + 1] = {ready[i], tonumber(ready[i + 1])}
  end
  for _, id in ipairs(redis.call('ZRANGE', queue_key .. ':delayed', 0, budget - 1)) do
    local rank = redis.call('HGET', message_key(queue_key, id), 'r')
    if rank then
      candidates[#candidates + 1] = {id, tonumber(rank)}
    else
      drop_message(queue_key, id)
    end
  end
  table.sort(candidates, function(a, b) return a[2] < b[2] end)

  local taken, expiries, sizes, by_rank, bytes = {}, {}, {}, {}, 0
  for _, candidate in ipairs(candidates) do
    if #taken >= budget then
      break
    end
    local id = candidate[1]
    local fields = transit_fields(message_key(queue_key, id))
    if not fields[T_RANK] or tonumber(fields[T_EXPIRES]) <= now then
      drop_message(queue_key, id)
    else
      local size = #(fields[T_BODY] or '') + #(fields[T_ATTRIBUTES] or '')
      if #taken > 0 and bytes + size > max_bytes then
        break
      end
      bytes = bytes + size
      expiries[#taken + 1], sizes[#taken + 1] = fields[T_EXPIRES], size
      taken[#taken + 1] = id
      by_rank[#by_rank + 1], by_rank[#by_rank + 2] = candidate[2], id
      append_transit(id, fields)
    end
  end
  if #taken > 0 then
    forget_sizes(queue_key, taken, sizes)
    -- In transit a message has a real expiry, which its hash in the queue has not: the transit is
    -- no index the collector reads, so a message that expires in transit must go by itself.
    for n, id in ipairs(taken) do
      local transit = transit_message_key(queue_key, id)
      redis.call('RENAME', message_key(queue_key, id), transit)
      redis.call('PEXPIREAT', transit, expiries[n])
    end
    for _, index in ipairs({':ready', ':hidden', ':delayed', ':expiry'}) do
      redis.call('ZREM', queue_key .. index, unpack(taken))
    end
    redis.call('ZADD', transit_key, unpack(by_rank))
  end
end

reply[3] = redis.call('ZCARD', queue_key .. ':ready') + redis.call('ZCARD', queue_key .. ':delayed')
reply[4] = redis.call('ZCARD', queue_key .. ':claimed')
reply[5] = redis.call('ZCARD', queue_key .. ':dlq')
return reply
