-- messages/post: appends a batch of messages to a queue, creating the queue if it is missing
-- (as Zaqar's API does), and announces the post so that waiting claims wake up.
--
-- The 'move' mode is the second half of a dead-letter move (the gateway's DeadLetterMover):
-- it may be retried after a crash, so it skips a letter this queue accepted before with the
-- same move number (a letter that comes back around a cycle of queues has a higher one) or
-- whose id is already here. The limits the queue sets for posting clients do not refuse a
-- letter that another queue already stored: no size limit, and the queue's default delay
-- only when the letter outlives it (else it is visible at once).
--
-- With an idempotency key (KEYS[2], 'post' mode only) the post is done once per key and
-- window: a key already recorded for this queue answers the ids it recorded and changes nothing
-- (the batch is not compared, as SQS's deduplication id). A record is the string
-- '<incarnation> <id> <id> ...' expiring with the window, so a 1000-message post records at
-- most about 23 KB. The incarnation is the queue hash's field ik, set by the first keyed post
-- of the queue's life to that post's first (random, gateway-made) message id: a queue deleted
-- and created again has another one, so a record of its earlier life is ignored, never
-- answered with ids of messages that no longer exist.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue} (see lib/messages for the layout)
-- KEYS[2]  optional: the idempotency record, kvdb:q:{project/queue}:posted:<key> (string)
-- ARGV[1]  'post', 'append' (a post that never creates the queue: for a project with a
--          max_queues quota, whose gateway admits a new queue first, see quotas/admit_queue), or
--          'move' for dead letters (which ignores KEYS[2])
-- ARGV[2]  the client id of the poster ('' when unknown)
-- ARGV[3]  the TTL (ms) of a message that gives none, when the queue has no default
-- ARGV[4]  the largest batch (bytes of bodies and attributes) when the queue sets no limit
-- ARGV[5]  the channel to announce posts on, ARGV[6] the announcement
-- ARGV[7]  how long (ms) the idempotency record is kept ('' without KEYS[2])
-- ARGV[8..] six per message: id, ttl ms or '', delay ms or '', body, msgpack attributes or '',
--          move number ('' for a post)
-- Reply    {unregistered (1 while the queue's registry entry is not confirmed, see
--          Queues.register), now_ms, posted, repeated (1 when the key was recorded: nothing
--          was stored), the recorded ids when repeated (else none: the ids are ARGV's)}
-- Errors   KVDB_NOT_FOUND when appending to a queue that does not exist (nothing is stored);
--          KVDB_LIMIT when the batch is larger than the queue allows;
--          KVDB_INVALID messages.<i>.delay when a message would expire before it is visible;
--          KVDB_MOVED <pool> when the queue is moving out to that pool (lib/moving), in every
--          mode, after the answer to a repeated idempotency key (its messages were stored)
-- @include lib/now
-- @include lib/messages
-- @include lib/moving

local queue_key, mode, client = KEYS[1], ARGV[1], ARGV[2]
local moving = mode == 'move'
local record_key = not moving and KEYS[2]
local FIRST = 8
local now = now_ms()

if mode == 'append' and redis.call('EXISTS', queue_key) == 0 then
  return redis.error_reply('KVDB_NOT_FOUND queue does not exist')
end

if record_key then
  local record = redis.call('GET', record_key)
  local incarnation = redis.call('HGET', queue_key, 'ik')
  if record and incarnation then
    local ids = {}
    for word in string.gmatch(record, '%S+') do
      ids[#ids + 1] = word
    end
    if ids[1] == incarnation then
      -- A write of this call, so that a WAIT after it also covers the first post's writes: a
      -- retry after an unconfirmed replicated post is told its ids only once a replica has them.
      redis.call('HSET', queue_key, 'ik', incarnation)
      local reply = {redis.call('HEXISTS', queue_key, 'ur'), now, 0, 1}
      for n = 2, #ids do
        reply[#reply + 1] = ids[n]
      end
      return reply
    end
  end
end

local moved = moved_refusal(queue_key)
if moved then
  return moved
end

settle(queue_key, now, 20)

if not moving then
  local size = 0
  for i = FIRST, #ARGV, 6 do
    size = size + #ARGV[i + 3] + #ARGV[i + 4]
  end
  local limit = tonumber(queue_setting(queue_key, '_max_messages_post_size') or ARGV[4])
  if size > limit then
    return redis.error_reply('KVDB_LIMIT the batch carries ' .. size .. ' bytes, over the queue\'s limit of ' .. limit)
  end
end

local default_ttl = queue_setting(queue_key, '_default_message_ttl')
default_ttl = default_ttl and default_ttl * 1000 or tonumber(ARGV[3])
local default_delay = (queue_setting(queue_key, '_default_message_delay') or 0) * 1000
local function ttl_of(i)
  return ARGV[i + 1] == '' and default_ttl or tonumber(ARGV[i + 1])
end
local function delay_of(i)
  local delay = ARGV[i + 2] == '' and default_delay or tonumber(ARGV[i + 2])
  if moving and delay >= ttl_of(i) then
    return 0
  end
  return delay
end
for i = FIRST, #ARGV, 6 do
  local ttl, delay = ttl_of(i), delay_of(i)
  if delay >= ttl then
    return redis.error_reply('KVDB_INVALID messages.' .. ((i - FIRST) / 6) .. '.delay of ' .. delay ..
      ' ms would outlast the message\'s ttl of ' .. ttl .. ' ms')
  end
end

-- A new queue stays marked unregistered until the gateway has listed it in its project's
-- registry (another slot): a gateway that dies in between is repaired by the next call.
if redis.call('HSETNX', queue_key, 'cr', now) == 1 then
  redis.call('HSET', queue_key, 'ur', 1)
end
local unregistered = redis.call('HEXISTS', queue_key, 'ur')

-- One HSET per message, of the fields it has (no key expiry: the expiry index deletes it); the
-- indexes take the whole batch in one variadic call each, which is most of what keeps a batch
-- of 100 cheap.
local accepted_key = queue_key .. ':accepted'
local function accepted_member(i)
  return ARGV[i + 5] .. ':' .. ARGV[i]
end
local fresh = {}
for i = FIRST, #ARGV, 6 do
  if not (moving and (redis.call('ZSCORE', accepted_key, accepted_member(i))
      or redis.call('EXISTS', message_key(queue_key, ARGV[i])) == 1)) then
    fresh[#fresh + 1] = i
  end
end
local posted = #fresh
local first_rank = redis.call('HINCRBY', queue_key, 'n', posted) - posted
local by_expiry, ready, hidden, delayed, accepted = {}, {}, {}, {}, {}
local bytes = 0
for n, i in ipairs(fresh) do
  local id = ARGV[i]
  local ttl, delay = ttl_of(i), delay_of(i)
  local rank, expires = first_rank + n, now + ttl
  local key = message_key(queue_key, id)
  local size = #ARGV[i + 3] + #ARGV[i + 4]
  local fields = {'r', rank, 'e', expires, 'cr', now, 'b', ARGV[i + 3], 'z', size}
  local function add(name, value)
    fields[#fields + 1], fields[#fields + 2] = name, value
  end
  if client ~= '' then
    add('u', client)
  end
  if ARGV[i + 4] ~= '' then
    add('a', ARGV[i + 4])
  end
  if moving then
    add('mv', ARGV[i + 5])
  end
  if delay > 0 then
    add('d', now + delay)
    delayed[#delayed + 1], delayed[#delayed + 2] = now + delay, id
    hidden[#hidden + 1], hidden[#hidden + 2] = rank, id
  else
    ready[#ready + 1], ready[#ready + 2] = rank, id
  end
  redis.call('HSET', key, unpack(fields))
  by_expiry[#by_expiry + 1], by_expiry[#by_expiry + 2] = expires, id
  accepted[#accepted + 1], accepted[#accepted + 2] = now, accepted_member(i)
  bytes = bytes + size
end
if posted > 0 then
  redis.call('ZADD', queue_key .. ':expiry', unpack(by_expiry))
  redis.call('HINCRBY', queue_key, 'sz', bytes)
  if #ready > 0 then
    redis.call('ZADD', queue_key .. ':ready', unpack(ready))
  end
  if #delayed > 0 then
    redis.call('ZADD', queue_key .. ':delayed', unpack(delayed))
    redis.call('ZADD', queue_key .. ':hidden', unpack(hidden))
  end
  if moving then
    redis.call('ZADD', accepted_key, unpack(accepted))
  end
end
if moving then
  -- Remember accepted letters for a day, far longer than any retry of a move takes; forget
  -- older ones a bounded number at a time (the index is ordered by time, oldest first).
  local stale = redis.call('ZCOUNT', accepted_key, '-inf', now - 86400000)
  if stale > 0 then
    redis.call('ZREMRANGEBYRANK', accepted_key, 0, math.min(stale, #fresh + 100) - 1)
  end
end
if record_key then
  redis.call('HSETNX', queue_key, 'ik', ARGV[FIRST])
  local record = {redis.call('HGET', queue_key, 'ik')}
  for _, i in ipairs(fresh) do
    record[#record + 1] = ARGV[i]
  end
  redis.call('SET', record_key, table.concat(record, ' '), 'PX', ARGV[7])
end
if posted > 0 then
  redis.call('PUBLISH', ARGV[5], ARGV[6])
end
return {unregistered, now, posted, 0}
