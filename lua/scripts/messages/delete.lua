-- messages/delete: deletes messages, all or none, by Zaqar's rules: a claimed message needs
-- its claim's id; a claim id is refused for a message it does not hold. Unknown ids and
-- missing queues are fine.
--
-- KEYS[1]  the queue hash, kvdb:q:{project/queue}
-- ARGV[1]  the claim id, or '' for none
-- ARGV[2..] message ids
-- Reply    the number of messages deleted
-- Errors   KVDB_CLAIMED (claimed, no claim id given), KVDB_NOT_CLAIMED_BY (held by another
--          live claim), KVDB_NOT_CLAIMED (not claimed), KVDB_CLAIM_EXPIRED (its claim expired);
--          KVDB_MOVED <pool> when a message is in the transit of a migration step (lib/moving):
--          deleted here, it would still arrive in the target, so the caller retries once the
--          step has stored it there
-- @include lib/now
-- @include lib/messages
-- @include lib/moving

local queue_key, claim = KEYS[1], ARGV[1]
local now = now_ms()
local transit_key = queue_key .. ':mv'
if redis.call('EXISTS', transit_key) == 1 then
  for i = 2, #ARGV do
    if redis.call('ZSCORE', transit_key, ARGV[i]) then
      return redis.error_reply('KVDB_MOVED ' .. (redis.call('HGET', queue_key, 'mv') or ''))
    end
  end
end
local doomed, sizes = {}, {}
for i = 2, #ARGV do
  local id = ARGV[i]
  local fields = live_state(queue_key, id, now)
  if fields then
    local holder = fields[F_CLAIM] or ''
    if is_claimed(fields, now) then
      if claim == '' then
        return redis.error_reply('KVDB_CLAIMED message ' .. id .. ' is claimed; give its claim id')
      elseif claim ~= holder then
        return redis.error_reply('KVDB_NOT_CLAIMED_BY message ' .. id .. ' is held by another claim')
      end
    elseif claim ~= '' then
      if claim == holder then
        return redis.error_reply('KVDB_CLAIM_EXPIRED the claim on message ' .. id .. ' has expired')
      end
      return redis.error_reply('KVDB_NOT_CLAIMED message ' .. id .. ' is not claimed')
    end
    doomed[#doomed + 1] = id
    sizes[#doomed] = fields[F_SIZE]
  end
end
drop_messages(queue_key, doomed, sizes)
return #doomed
