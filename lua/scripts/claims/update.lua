-- claims/update: gives a live claim a new ttl and grace from now, extending its messages as a
-- new claim would.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue}
-- ARGV[1]  the claim id
-- ARGV[2]  new ttl ms
-- ARGV[3]  new grace ms
-- Reply    as claims/get
-- Errors   KVDB_NOT_FOUND when the claim is unknown or expired
-- @include lib/now
-- @include lib/messages

local queue_key, claim_id = KEYS[1], ARGV[1]
local ttl, grace = tonumber(ARGV[2]), tonumber(ARGV[3])
local now = now_ms()
local claim_key = queue_key .. ':c:' .. claim_id
local claim = redis.call('HMGET', claim_key, 'cr', 'e')
if not claim[1] or tonumber(claim[2]) <= now then
  return redis.error_reply('KVDB_NOT_FOUND claim does not exist or has expired')
end

local claim_expires = now + ttl
redis.call('HSET', claim_key, 't', ttl, 'g', grace, 'e', claim_expires)
redis.call('PEXPIREAT', claim_key, claim_expires)
redis.call('PEXPIREAT', claim_key .. ':ids', claim_expires)
local reply = {now, ttl, grace, claim[1], claim_expires}
for _, id in ipairs(redis.call('SMEMBERS', claim_key .. ':ids')) do
  local fields = live_message(queue_key, id, now)
  if fields and fields[F_CLAIM] == claim_id then
    outlive_claim(queue_key, id, fields, claim_expires, grace)
    redis.call('HSET', message_key(queue_key, id), 'c.e', claim_expires)
    redis.call('ZADD', queue_key .. ':claimed', claim_expires, id)
    fields[F_CLAIM_EXPIRES] = claim_expires
    append_message(reply, queue_key, id, fields)
  end
end
return reply
