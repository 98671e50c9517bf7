-- messages/get: the live messages among the given ids, in the order asked.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue}
-- ARGV     message ids
-- Reply    {now_ms, message fields (lib/messages), ...}; unknown and expired ids are left out
-- @include lib/now
-- @include lib/messages

local queue_key = KEYS[1]
local now = now_ms()
local reply = {now}
for _, id in ipairs(ARGV) do
  local fields = live_message(queue_key, id, now)
  if fields then
    append_message(reply, queue_key, id, fields)
  end
end
return reply
