-- lib/messages: the layout of a queue's messages and the steps every message script shares.
--
-- All keys derive from the queue hash key Q = kvdb:q:{project/queue}, so they share its slot:
--   Q              hash: cr created, n rank counter, m:<key> metadata, ur while the queue is
--                  not yet confirmed in its project's registry, ik the incarnation idempotency
--                  records must name (set by the first post with a key)
--   Q:accepted     zset '<move number>:<id>' -> ms: dead letters accepted in the last day
--   Q:posted:<key> string '<incarnation> <id> <id> ...': the ids a post with that idempotency
--                  key was given, expiring with the gateway's window (see messages/post)
--   Q:ready        zset id -> rank: messages that can be claimed now, in FIFO order
--   Q:hidden       zset id -> rank: the others (claimed or delayed), in FIFO order; with
--                  Q:ready, every message (one index fewer than a zset of all of them)
--   Q:delayed      zset id -> ms when it becomes visible
--   Q:claimed      zset id -> ms when its claim expires
--   Q:expiry       zset id -> ms when the message expires: what deletes an expired message
--                  (settle, the collector), so its hash has no key expiry of its own
--   Q:m:<id>       hash: r rank, e expires ms, cr created ms, u client id (absent: anonymous),
--                  d visible ms, b body, a attributes (msgpack), c claim id, c.e claim expiry ms,
--                  c.c claims,
--                  mv how many dead-letter moves brought it here (absent: none), z its bytes (body
--                  and attributes), which add up to the queue hash's field sz, for the project's
--                  max_bytes quota. Its ttl is e - cr, so it is not stored (a message an earlier
--                  version stored may hold it as t): a 256-byte message then fits a 320-byte
--                  allocation, not a 384-byte one.
--   Q:c:<claim>    hash: t ttl ms, g grace ms, cr created ms, e expires ms (expires with it)
--   Q:c:<claim>:ids  set: the ids the claim was given
--   Q:dlq          zset id -> rank: dead letters waiting to move, in FIFO order (the outbox);
--                  each message hash waits as Q:dlq:m:<id>, with dlt (its ttl ms in the
--                  dead-letter queue) and dlq (that queue's name) added, mv incremented, and
--                  a real expiry of its ttl in the dead-letter queue
--   Q:mv, Q:mv:m:<id>, Q:arrived and the queue hash's mv and mi: a queue moving between
--                  pools (see lib/moving)
-- A message is in Q:expiry, and in Q:ready or Q:hidden; a hidden one in Q:delayed or Q:claimed.
-- (A queue stored by an earlier version may keep Q:all, a zset of every message by rank, and
-- Q:sizes: nothing reads or adds to them, and they go with the queue.)

local function message_key(queue_key, id)
  return queue_key .. ':m:' .. id
end

-- The bytes of a stored message: its field z; for a message an earlier version stored, the size
-- it kept in Q:sizes (when `legacy`, which Redis may have expired the message before), or the
-- lengths of its fields.
local function stored_size(queue_key, id, legacy)
  local key = message_key(queue_key, id)
  local size = tonumber(redis.call('HGET', key, 'z'))
  if not size and legacy then
    size = tonumber(redis.call('HGET', queue_key .. ':sizes', id))
  end
  return size or redis.call('HSTRLEN', key, 'b') + redis.call('HSTRLEN', key, 'a')
end

-- Takes the bytes of messages leaving the queue off its sum (an id not stored counts 0). Call
-- before their hashes go. `sizes`, when given, holds each id's field z as read with it (nil where
-- unknown), which saves reading it again.
local function forget_sizes(queue_key, ids, sizes)
  local legacy_key = queue_key .. ':sizes'
  local legacy, freed = redis.call('EXISTS', legacy_key) == 1, 0
  for i, id in ipairs(ids) do
    freed = freed + (sizes and tonumber(sizes[i]) or stored_size(queue_key, id, legacy))
  end
  if legacy then
    redis.call('HDEL', legacy_key, unpack(ids))
  end
  if freed > 0 then
    redis.call('HINCRBY', queue_key, 'sz', -freed)
  end
end

-- Removes a message from every index.
local function drop_message_indexes(queue_key, id)
  forget_sizes(queue_key, {id})
  redis.call('ZREM', queue_key .. ':ready', id)
  redis.call('ZREM', queue_key .. ':hidden', id)
  redis.call('ZREM', queue_key .. ':delayed', id)
  redis.call('ZREM', queue_key .. ':claimed', id)
  redis.call('ZREM', queue_key .. ':expiry', id)
end

-- Removes a message from every index and deletes it.
local function drop_message(queue_key, id)
  drop_message_indexes(queue_key, id)
  redis.call('DEL', message_key(queue_key, id))
end

-- Removes messages from every index and deletes them, one variadic call per index. The ids
-- of one batch are few (validation caps them at 1000), so unpack() stays within Lua's stack.
-- `sizes` as forget_sizes takes it.
local function drop_messages(queue_key, ids, sizes)
  if #ids == 0 then
    return
  end
  forget_sizes(queue_key, ids, sizes)
  for _, index in ipairs({':ready', ':hidden', ':delayed', ':claimed', ':expiry'}) do
    redis.call('ZREM', queue_key .. index, unpack(ids))
  end
  local keys = {}
  for i, id in ipairs(ids) do
    keys[i] = message_key(queue_key, id)
  end
  redis.call('DEL', unpack(keys))
end

-- Makes a message claimable again at its original rank. An expired claim stays on record (its
-- id and past expiry), so that deleting with that claim's id says CLAIM_EXPIRED; a released
-- claim is forgotten.
local function make_ready(queue_key, id, forget_claim)
  local key = message_key(queue_key, id)
  local rank = redis.call('HGET', key, 'r')
  redis.call('ZREM', queue_key .. ':claimed', id)
  redis.call('ZREM', queue_key .. ':delayed', id)
  redis.call('ZREM', queue_key .. ':hidden', id)
  if rank then
    if forget_claim then
      redis.call('HDEL', key, 'c', 'c.e')
    end
    redis.call('ZADD', queue_key .. ':ready', rank, id)
  end
end

-- Brings the indexes up to date with the clock, oldest first and at most `budget` steps per
-- index: expired messages go, due delayed messages and messages of lapsed claims become ready.
-- Each index has a budget of its own, so that a backlog of expired messages never keeps a
-- message whose claim lapsed (or whose delay ended) from being claimable at once. Returns true
-- when work was left over. Readers still check each message's own times, so a backlog larger
-- than the budget never shows stale state, it only waits for the collector.
local function settle(queue_key, now, budget)
  local more = false
  for _, step in ipairs({
    {queue_key .. ':claimed', make_ready},
    {queue_key .. ':delayed', make_ready},
    {queue_key .. ':expiry', drop_message},
  }) do
    local due = redis.call('ZRANGEBYSCORE', step[1], '-inf', now, 'LIMIT', 0, budget + 1)
    for i = 1, math.min(#due, budget) do
      step[2](queue_key, due[i])
    end
    more = more or #due > budget
  end
  return more
end

-- The fields of a message as scripts return them, in the order the Java decoder reads:
-- id, body, attributes, rank, ttl, expires, created, client, visible, claim id, claim expiry,
-- claim count. Missing fields are ''.
-- The ttl (position 4) is derived, not read: see with_ttl.
local MESSAGE_FIELDS = {'b', 'a', 'r', '-', 'e', 'cr', 'u', 'd', 'c', 'c.e', 'c.c'}

-- Fills in the ttl of an HMGET of MESSAGE_FIELDS or STATE_FIELDS: its expiry less its creation.
local function with_ttl(fields)
  if fields[3] then
    fields[4] = tonumber(fields[5]) - tonumber(fields[6])
  end
  return fields
end

local function append_message(reply, queue_key, id, fields)
  fields = fields or with_ttl(redis.call('HMGET', message_key(queue_key, id), unpack(MESSAGE_FIELDS)))
  reply[#reply + 1] = id
  for i = 1, #MESSAGE_FIELDS do
    reply[#reply + 1] = fields[i] or ''
  end
end

-- MESSAGE_FIELDS without the body and attributes, at the same positions ('-' names no field,
-- so HMGET answers nil there), and the size after them: for scripts that only judge a message's
-- state, so that a body is not copied out of Redis to be thrown away.
local STATE_FIELDS = {'-', '-', 'r', '-', 'e', 'cr', 'u', 'd', 'c', 'c.e', 'c.c', 'z'}

local function live_fields(queue_key, id, now, names)
  local fields = redis.call('HMGET', message_key(queue_key, id), unpack(names))
  if not fields[3] or tonumber(fields[5]) <= now then
    return nil
  end
  return with_ttl(fields)
end

-- A message's state at `now`: nil when missing or expired, else its fields.
local function live_message(queue_key, id, now)
  return live_fields(queue_key, id, now, MESSAGE_FIELDS)
end

-- As live_message, without the body and attributes (their positions are nil), with the size
-- at F_SIZE.
local function live_state(queue_key, id, now)
  return live_fields(queue_key, id, now, STATE_FIELDS)
end

-- Field positions in a live_message result.
local F_RANK, F_EXPIRES, F_CLIENT, F_VISIBLE, F_CLAIM, F_CLAIM_EXPIRES, F_CLAIM_COUNT = 3, 5, 7, 8, 9, 10, 11
local F_SIZE = 12

local function is_claimed(fields, now)
  return fields[F_CLAIM] and fields[F_CLAIM] ~= '' and tonumber(fields[F_CLAIM_EXPIRES]) > now
end

local function is_delayed(fields, now)
  return fields[F_VISIBLE] and tonumber(fields[F_VISIBLE]) > now
end

-- Makes a message live at least until a claim's end plus grace: its expiry (and so its ttl) and
-- expiry index entry move. Updates `fields` (a live_message result) to match.
local function outlive_claim(queue_key, id, fields, claim_expires, grace)
  local expires = tonumber(fields[F_EXPIRES])
  if expires < claim_expires + grace then
    expires = claim_expires + grace
    local key = message_key(queue_key, id)
    redis.call('HSET', key, 'e', expires)
    redis.call('ZADD', queue_key .. ':expiry', expires, id)
    fields[F_EXPIRES], fields[4] = expires, expires - tonumber(fields[6])
  end
end

-- A value from the queue's metadata (stored msgpack-encoded), or nil.
local function queue_setting(queue_key, name)
  local packed = redis.call('HGET', queue_key, 'm:' .. name)
  if not packed then
    return nil
  end
  local ok, value = pcall(cmsgpack.unpack, packed)
  if ok then
    return value
  end
  return nil
end
