-- lib/migrations: a queue's migration record, in the control Redis under the tag {pools}:
--   kvdb:pools:{pools}:mig:<project>/<queue>  hash: s state (SWITCHING, MOVING, CANCELLING while
--                  it runs; DONE, CANCELLED once ended, when the record expires a day later),
--                  from the source pool, to the target pool, st started ms, up updated ms, end
--                  ended ms (absent while it runs), moved messages moved so far (both ways),
--                  left free and delayed messages left at the last step, claimed messages left
--                  under claims at the last step, sw switched ms (absent until
--                  migrations/switch sent posts to the target; a cancel sets it again, when
--                  posts go back to the source)
--   kvdb:pools:{pools}:migrations  zset '<project>/<queue>' -> started ms: the running ones
-- The catalogue and the pools' counts q are in lib/pools.

local RECORD_FIELDS = {'s', 'from', 'to', 'st', 'up', 'end', 'moved', 'left', 'claimed', 'sw'}
local ENDED_KEPT_MS = 86400000

-- Appends the record as scripts return it: state, source, target, started ms, updated ms, ended
-- ms or '', moved, left, claimed, switched ms or ''.
local function append_record(reply, record_key)
  local fields = redis.call('HMGET', record_key, unpack(RECORD_FIELDS))
  for i = 1, #RECORD_FIELDS do
    reply[#reply + 1] = fields[i] or ''
  end
  return reply
end

-- The pool record's count q less one, never below 0 (a queue placed before pools were counted).
local function uncount(pool_key)
  if (tonumber(redis.call('HGET', pool_key, 'q')) or 0) > 0 then
    redis.call('HINCRBY', pool_key, 'q', -1)
  end
end
