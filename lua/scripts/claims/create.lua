-- claims/create: claims up to `limit` of the oldest free messages for a new claim. A message
-- that would expire before the claim (plus grace) is extended to last that long, and its key's
-- real expiry follows. A message already delivered _max_claim_count times goes, when the queue
-- names a _dead_letter_queue, to the queue's dead-letter outbox instead (the gateway moves it
-- on to the dead-letter queue, which may live in another slot); waiting there, it expires as
-- it would in the dead-letter queue.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue}
-- ARGV[1]  the new claim id
-- ARGV[2]  claim ttl ms
-- ARGV[3]  grace ms
-- ARGV[4]  limit
-- ARGV[5]  below_rank: only messages ranked below it are claimed, '' (or absent) for any; while
--          a queue is split between two pools, the other pool's oldest free rank
-- Reply    {now_ms, claim_expires_ms, next_change_ms or '', dead_lettered, message fields...}
--          next_change_ms is when a delayed message becomes visible or a claim expires, the
--          earliest time a waiting caller could find something new without a post
-- @include lib/now
-- @include lib/messages

local queue_key, claim_id = KEYS[1], ARGV[1]
local ttl, grace, limit = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local below = (ARGV[5] or '') == '' and '+inf' or '(' .. ARGV[5]
local now = now_ms()
settle(queue_key, now, 100)

local claim_expires = now + ttl
local max_claims = queue_setting(queue_key, '_max_claim_count')
local dead_letter_queue = queue_setting(queue_key, '_dead_letter_queue')
local dead_letter_ttl = queue_setting(queue_key, '_dead_letter_queue_messages_ttl')
if not dead_letter_queue then
  max_claims = nil
end

local claimed, claimed_fields, dead_lettered, examined = {}, {}, 0, 0
local budget = limit + 1000
while #claimed < limit and examined < budget do
  local ids = redis.call('ZRANGEBYSCORE', queue_key .. ':ready', '-inf', below, 'LIMIT', 0, limit - #claimed)
  if #ids == 0 then
    break
  end
  local taken = {}
  for _, id in ipairs(ids) do
    examined = examined + 1
    local fields = live_message(queue_key, id, now)
    local deliveries = fields and tonumber(fields[F_CLAIM_COUNT] or 0) or 0
    if not fields then
      drop_message(queue_key, id)
    elseif max_claims and deliveries >= max_claims then
      -- Out of every index, the message hash itself waits in the outbox, kept until moved.
      -- It expires as it would in the dead-letter queue, so a letter that can never move does
      -- not wait forever; its move number tells a retried move from a trip around a cycle.
      local parked = queue_key .. ':dlq:m:' .. id
      local ttl_after = dead_letter_ttl and dead_letter_ttl * 1000 or tonumber(fields[4])
      drop_message_indexes(queue_key, id)
      redis.call('RENAME', message_key(queue_key, id), parked)
      redis.call('PEXPIREAT', parked, now + ttl_after)
      redis.call('HSET', parked, 'dlt', ttl_after, 'dlq', dead_letter_queue)
      redis.call('HINCRBY', parked, 'mv', 1)
      redis.call('ZADD', queue_key .. ':dlq', fields[F_RANK], id)
      if redis.call('PTTL', queue_key .. ':dlq') < ttl_after then
        redis.call('PEXPIRE', queue_key .. ':dlq', ttl_after)
      end
      dead_lettered = dead_lettered + 1
    else
      outlive_claim(queue_key, id, fields, claim_expires, grace)
      redis.call('HSET', message_key(queue_key, id), 'c', claim_id, 'c.e', claim_expires, 'c.c', deliveries + 1)
      claimed[#claimed + 1] = id
      fields[F_CLAIM], fields[F_CLAIM_EXPIRES], fields[F_CLAIM_COUNT] = claim_id, claim_expires, deliveries + 1
      claimed_fields[#claimed] = fields
      taken[#taken + 1] = id
    end
  end
  -- Off the ready index in one call, so the next ZRANGEBYSCORE of this loop moves on; the claimed
  -- and hidden indexes get the whole claim at once below.
  if #taken > 0 then
    redis.call('ZREM', queue_key .. ':ready', unpack(taken))
  end
end

local next_change = ''
for _, index in ipairs({':delayed', ':claimed'}) do
  local first = redis.call('ZRANGE', queue_key .. index, 0, 0, 'WITHSCORES')
  if first[2] and (next_change == '' or tonumber(first[2]) < next_change) then
    next_change = tonumber(first[2])
  end
end

local reply = {now, claim_expires, next_change, dead_lettered}
if #claimed > 0 then
  local claim_key = queue_key .. ':c:' .. claim_id
  redis.call('HSET', claim_key, 't', ttl, 'g', grace, 'cr', now, 'e', claim_expires)
  redis.call('SADD', claim_key .. ':ids', unpack(claimed))
  redis.call('PEXPIREAT', claim_key, claim_expires)
  redis.call('PEXPIREAT', claim_key .. ':ids', claim_expires)
  local by_expiry, by_rank = {}, {}
  for n, id in ipairs(claimed) do
    by_expiry[2 * n - 1], by_expiry[2 * n] = claim_expires, id
    by_rank[2 * n - 1], by_rank[2 * n] = claimed_fields[n][F_RANK], id
    append_message(reply, queue_key, id, claimed_fields[n])
  end
  redis.call('ZADD', queue_key .. ':claimed', unpack(by_expiry))
  redis.call('ZADD', queue_key .. ':hidden', unpack(by_rank))
end
return reply
