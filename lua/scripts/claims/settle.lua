-- claims/settle: a consumer's verdict on messages it was given under claims: 'ack' deletes
-- them, 'release' makes them claimable again at once, at their original rank. Each message is
-- settled only if the claim named with it still holds it; the others are skipped (a lapsed
-- claim's message is already someone else's), so one stale message never spoils the rest.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue}
-- ARGV[1]  'ack' or 'release'
-- ARGV[2]  the channel to announce released messages on, ARGV[3] the announcement
-- ARGV[4..] pairs: claim id, message id
-- Reply    the number of messages settled
-- @include lib/now
-- @include lib/messages

local queue_key, verdict = KEYS[1], ARGV[1]
local now = now_ms()
local held, sizes = {}, {}
for i = 4, #ARGV, 2 do
  local claim_id, id = ARGV[i], ARGV[i + 1]
  local fields = live_state(queue_key, id, now)
  if fields and fields[F_CLAIM] == claim_id and is_claimed(fields, now) then
    held[#held + 1] = id
    sizes[#held] = fields[F_SIZE]
    if verdict == 'release' then
      make_ready(queue_key, id, true)
      redis.call('SREM', queue_key .. ':c:' .. claim_id .. ':ids', id)
    end
  end
end
if verdict == 'ack' then
  drop_messages(queue_key, held, sizes)
elseif #held > 0 then
  redis.call('PUBLISH', ARGV[2], ARGV[3])
end
return #held
