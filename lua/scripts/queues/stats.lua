-- queues/stats: exact message counts at this moment, whatever the collector has not yet done:
-- expired messages are subtracted by their expiry index, and only live claims and pending
-- delays are counted (a claimed message cannot expire while its claim lives, and a delay never
-- outlasts its message). O(log n) whatever the depth of the queue.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue} (see lib/messages for the layout)
-- Reply    {total, claimed, delayed, now_ms, oldest_id, oldest_created_ms, newest_id,
--           newest_created_ms}; ids are '' and times 0 when the queue is empty
-- Errors   KVDB_NOT_FOUND when the queue does not exist
-- @include lib/now
-- @include lib/messages

local queue_key = KEYS[1]
if redis.call('EXISTS', queue_key) == 0 then
  return redis.error_reply('KVDB_NOT_FOUND queue does not exist')
end
local now = now_ms()
settle(queue_key, now, 100)

local all = queue_key .. ':all'
local total = redis.call('ZCARD', all) - redis.call('ZCOUNT', queue_key .. ':expiry', '-inf', now)
local claimed = redis.call('ZCOUNT', queue_key .. ':claimed', '(' .. now, '+inf')
local delayed = redis.call('ZCOUNT', queue_key .. ':delayed', '(' .. now, '+inf')

-- The first live message from one end of the FIFO order (expired ones are rare after settle).
local function live_end(from, step)
  for i = from, from + step * 99, step do
    local id = redis.call('ZRANGE', all, i, i)[1]
    if not id then
      return '', 0
    end
    local fields = live_state(queue_key, id, now)
    if fields then
      return id, tonumber(fields[6])
    end
  end
  return '', 0
end

local oldest_id, oldest_created = live_end(0, 1)
local newest_id, newest_created = live_end(-1, -1)
return {total, claimed, delayed, now, oldest_id, oldest_created, newest_id, newest_created}
