-- messages/pop: removes and returns up to `count` of the oldest free messages, atomically.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue}
-- ARGV[1]  count
-- ARGV[2]  below_rank: only messages ranked below it are popped, '' (or absent) for any (see
--          claims/create)
-- Reply    {now_ms, message fields (lib/messages), ...}
-- @include lib/now
-- @include lib/messages

local queue_key, count = KEYS[1], tonumber(ARGV[1])
local below = (ARGV[2] or '') == '' and '+inf' or '(' .. ARGV[2]
local now = now_ms()
settle(queue_key, now, 50)
local reply, popped = {now}, 0
while popped < count do
  local ids = redis.call('ZRANGEBYSCORE', queue_key .. ':ready', '-inf', below, 'LIMIT', 0, count - popped)
  if #ids == 0 then
    break
  end
  for _, id in ipairs(ids) do
    local fields = live_message(queue_key, id, now)
    if fields then
      append_message(reply, queue_key, id, fields)
      popped = popped + 1
    end
    drop_message(queue_key, id)
  end
end
return reply
