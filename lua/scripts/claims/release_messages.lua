-- claims/release_messages: releases some of a claim's messages (a consumer's negative
-- acknowledgement): they become claimable again at once, at their original rank. Messages the
-- claim no longer holds are skipped.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue}
-- ARGV[1]  the claim id
-- ARGV[2]  the channel to announce released messages on, ARGV[3] the announcement
-- ARGV[4..] message ids
-- Reply    the number of messages released
-- @include lib/now
-- @include lib/messages

local queue_key, claim_id = KEYS[1], ARGV[1]
local now = now_ms()
local released = {}
for i = 4, #ARGV do
  local fields = live_message(queue_key, ARGV[i], now)
  if fields and fields[F_CLAIM] == claim_id and is_claimed(fields, now) then
    make_ready(queue_key, ARGV[i], true)
    released[#released + 1] = ARGV[i]
  end
end
if #released > 0 then
  redis.call('SREM', queue_key .. ':c:' .. claim_id .. ':ids', unpack(released))
  redis.call('PUBLISH', ARGV[2], ARGV[3])
end
return #released
