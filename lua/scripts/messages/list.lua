-- messages/list: a page of messages in FIFO order, filtered before paging so that a page is
-- full whenever enough matching messages exist (within a scan budget that keeps the call
-- bounded; a page cut short by the budget still carries its cursor).
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue}
-- ARGV[1]  rank to continue after ('' from the start)
-- ARGV[2]  page size
-- ARGV[3]  '1' to include the caller's own messages (echo)
-- ARGV[4]  the caller's client id ('' for an anonymous caller, whom echo does not concern:
--          anonymous callers are not one client)
-- ARGV[5]  '1' to include claimed messages
-- ARGV[6]  '1' to include delayed messages
-- ARGV[7]  the most messages to examine
-- Reply    {now_ms, cursor_rank or '', message fields (lib/messages), ...}
-- @include lib/now
-- @include lib/messages

local queue_key = KEYS[1]
local after, page_size, echo, client = ARGV[1], tonumber(ARGV[2]), ARGV[3] == '1', ARGV[4]
local with_claimed, with_delayed, budget = ARGV[5] == '1', ARGV[6] == '1', tonumber(ARGV[7])
local now = now_ms()
settle(queue_key, now, 50)

-- Free messages only: the ready index holds exactly those, in rank order. With claimed or
-- delayed ones, the hidden index too: the two, merged by rank, are the queue in FIFO order.
local indexes = (with_claimed or with_delayed) and {':ready', ':hidden'} or {':ready'}

-- Up to `count` {id, rank as Redis gave it} after `min`, in rank order, from the indexes merged:
-- the first `count` of each index, sorted, hold the first `count` of both.
local function next_batch(min, count)
  local merged = {}
  for _, index in ipairs(indexes) do
    local found = redis.call('ZRANGEBYSCORE', queue_key .. index, min, '+inf', 'WITHSCORES', 'LIMIT', 0, count)
    for i = 1, #found, 2 do
      merged[#merged + 1] = {found[i], found[i + 1]}
    end
  end
  if #indexes > 1 then
    table.sort(merged, function(a, b) return tonumber(a[2]) < tonumber(b[2]) end)
    for i = #merged, count + 1, -1 do
      merged[i] = nil
    end
  end
  return merged
end

local reply, found, examined = {now, ''}, 0, 0
local min = after == '' and '-inf' or '(' .. after
local last_rank

while found < page_size and examined < budget do
  local batch = next_batch(min, math.min(page_size - found + 10, budget - examined))
  if #batch == 0 then
    last_rank = nil
    break
  end
  for i = 1, #batch do
    local id = batch[i][1]
    last_rank = batch[i][2]
    examined = examined + 1
    local fields = live_message(queue_key, id, now)
    local wanted = fields
      and (echo or client == '' or fields[F_CLIENT] ~= client)
      and (with_claimed or not is_claimed(fields, now))
      and (with_delayed or not is_delayed(fields, now))
    if wanted then
      append_message(reply, queue_key, id, fields)
      found = found + 1
      if found == page_size then
        break
      end
    end
  end
  min = '(' .. last_rank
end

if last_rank then
  for _, index in ipairs(indexes) do
    if redis.call('ZRANGEBYSCORE', queue_key .. index, '(' .. last_rank, '+inf', 'LIMIT', 0, 1)[1] then
      reply[2] = last_rank
    end
  end
end
return reply
