-- claims/get: a live claim and the messages it still holds.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue}
-- ARGV[1]  the claim id
-- Reply    {now_ms, ttl_ms, grace_ms, created_ms, expires_ms, message fields...}
-- Errors   KVDB_NOT_FOUND when the claim is unknown or expired
-- @include lib/now
-- @include lib/messages

local queue_key, claim_id = KEYS[1], ARGV[1]
local now = now_ms()
local claim_key = queue_key .. ':c:' .. claim_id
local claim = redis.call('HMGET', claim_key, 't', 'g', 'cr', 'e')
if not claim[1] or tonumber(claim[4]) <= now then
  return redis.error_reply('KVDB_NOT_FOUND claim does not exist or has expired')
end
local reply = {now, claim[1], claim[2], claim[3], claim[4]}
for _, id in ipairs(redis.call('SMEMBERS', claim_key .. ':ids')) do
  local fields = live_message(queue_key, id, now)
  if fields and fields[F_CLAIM] == claim_id then
    append_message(reply, queue_key, id, fields)
  end
end
return reply
