-- queues/delete: deletes a queue in O(1): its hash and indexes go at once, and the list of its
-- messages and its outbox of dead letters are set aside under trash keys for the collector to
-- delete in bounded steps (a queue may hold millions), and so is the transit of a migration
-- (lib/moving). The gateway lists the trash keys for the collector before this call (their
-- names come from its stamp), so a gateway that dies after it leaves nothing that no one will
-- delete: the messages have no key expiry of their own. The outbox and the transit, whose
-- messages do, also expire with their last message.
-- Deleting a missing queue is not an error.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue} (see lib/messages for the layout)
-- ARGV[1]  the stamp that names the trash keys: <prefix>:trash:<stamp>[<suffix>], where
--          <prefix>:m:<id> are the keys each names: the queue hash for its ready messages (no
--          suffix) and its hidden ones (suffix .hidden), Q:dlq for the outbox, Q:mv for the transit
-- Reply    {existed (1 or 0), then the trash keys made ('' for each not made): ready messages,
--          hidden messages, outbox, transit}
-- @include lib/now

local queue_key = KEYS[1]
local existed = redis.call('EXISTS', queue_key)
local stamp = ARGV[1]

local function set_aside(index, prefix, last_expiry, suffix)
  if redis.call('EXISTS', index) == 0 then
    return ''
  end
  local trash = prefix .. ':trash:' .. stamp .. (suffix or '')
  redis.call('RENAME', index, trash)
  if last_expiry then
    redis.call('PEXPIREAT', trash, last_expiry)
  end
  return trash
end

local ready_trash = set_aside(queue_key .. ':ready', queue_key, nil)
local hidden_trash = set_aside(queue_key .. ':hidden', queue_key, nil, '.hidden')
-- The outbox already expires with its last letter (see claims/create), and RENAME keeps that.
local outbox_trash = set_aside(queue_key .. ':dlq', queue_key .. ':dlq', nil)
-- The transit is at most one step's batch (MAX_TRANSIT), each message with its own expiry.
local transit_last = 0
for _, id in ipairs(redis.call('ZRANGE', queue_key .. ':mv', 0, -1)) do
  transit_last = math.max(transit_last, tonumber(redis.call('HGET', queue_key .. ':mv:m:' .. id, 'e')) or 0)
end
local transit_trash = set_aside(queue_key .. ':mv', queue_key .. ':mv', math.max(transit_last, now_ms() + 1))
redis.call('UNLINK', queue_key, queue_key .. ':all', queue_key .. ':delayed', queue_key .. ':claimed',
  queue_key .. ':expiry', queue_key .. ':accepted', queue_key .. ':sizes', queue_key .. ':arrived')
return {existed, ready_trash, hidden_trash, outbox_trash, transit_trash}
