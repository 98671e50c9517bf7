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

-- Free messages only: the ready index holds exactly those, in rank order.
local index = (with_claimed or with_delayed) and ':all' or ':ready'
local reply, found, examined = {now, ''}, 0, 0
local min = after == '' and '-inf' or '(' .. after
local last_rank

while found < page_size and examined < budget do
  local batch = redis.call('ZRANGEBYSCORE', queue_key .. index, min, '+inf', 'WITHSCORES', 'LIMIT', 0,
    math.min(page_size - found + 10, budget - examined))
  if #batch == 0 then
    last_rank = nil
    break
  end
  for i = 1, #batch, 2 do
    local id = batch[i]
    last_rank = batch[i + 1]
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

if last_rank and redis.call('ZRANGEBYSCORE', queue_key .. index, '(' .. last_rank, '+inf', 'LIMIT', 0, 1)[1] then
  reply[2] = last_rank
end
return reply
