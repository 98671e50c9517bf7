-- claims/delete: releases a claim: its messages become claimable again at once, at their
-- original rank. Releasing an unknown or expired claim is fine.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue}
-- ARGV[1]  the claim id
-- ARGV[2]  the channel to announce released messages on, ARGV[3] the announcement
-- Reply    the number of messages released
-- @include lib/now
-- @include lib/messages

local queue_key, claim_id = KEYS[1], ARGV[1]
local now = now_ms()
local claim_key = queue_key .. ':c:' .. claim_id
local released = 0
for _, id in ipairs(redis.call('SMEMBERS', claim_key .. ':ids')) do
  local fields = live_state(queue_key, id, now)
  if fields and fields[F_CLAIM] == claim_id then
    make_ready(queue_key, id, true)
    released = released + 1
  end
end
redis.call('DEL', claim_key, claim_key .. ':ids')
if released > 0 then
  redis.call('PUBLISH', ARGV[2], ARGV[3])
end
return released
