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

local total = redis.call('ZCARD', queue_key .. ':ready') + redis.call('ZCARD', queue_key .. ':hidden')
  - redis.call('ZCOUNT', queue_key .. ':expiry', '-inf', now)
local claimed = redis.call('ZCOUNT', queue_key .. ':claimed', '(' .. now, '+inf')
local delayed = redis.call('ZCOUNT', queue_key .. ':delayed', '(' .. now, '+inf')

-- The first live message from one end of an index in FIFO order (expired ones are rare after
-- settle): {id, created, rank}, or nil.
local function live_end(index, from, step)
  for i = from, from + step * 99, step do
    local entry = redis.call('ZRANGE', queue_key .. index, i, i, 'WITHSCORES')
    if not entry[1] then
      return nil
    end
    local fields = live_state(queue_key, entry[1], now)
    if fields then
      return {entry[1], tonumber(fields[6]), tonumber(entry[2])}
    end
  end
  return nil
end

-- One end of the queue's FIFO order: of the ready and hidden indexes' ends, the one ranked
-- first (step 1) or last (step -1).
local function fifo_end(from, step)
  local best
  for _, index in ipairs({':ready', ':hidden'}) do
    local found = live_end(index, from, step)
    if found and (not best or (found[3] - best[3]) * step < 0) then
      best = found
    end
  end
  if best then
    return best[1], best[2]
  end
  return '', 0
end

local oldest_id, oldest_created = fifo_end(0, 1)
local newest_id, newest_created = fifo_end(-1, -1)
return {total, claimed, delayed, now, oldest_id, oldest_created, newest_id, newest_created}
