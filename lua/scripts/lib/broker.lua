-- lib/broker: makes room in a channel's stream for one more message. Retention trims only the
-- oldest messages that every consumer group of the stream has acknowledged (read, and no longer
-- pending), at most TRIM_BUDGET per call, so a retention lowered under a long backlog costs
-- bounded work per publish and the backlog shrinks over the next publishes. A stream at its
-- retention whose oldest message some group has not acknowledged has no room: the caller
-- refuses the message (publish) or waits (dead-letter move). Each group costs O(log n) here
-- (XINFO GROUPS, one XPENDING entry); read_group caps the groups per stream.
local TRIM_BUDGET = 16

-- The XRANGE end before which every group has acknowledged every message ('+' with no group),
-- and the group furthest behind (nil with no group).
local function acknowledged_by_all(stream)
  local bound, bound_ms, bound_seq, slowest = '+', nil, nil, nil
  for _, info in ipairs(redis.call('XINFO', 'GROUPS', stream)) do
    local group = {}
    for f = 1, #info, 2 do
      group[info[f]] = info[f + 1]
    end
    -- A group has acknowledged everything up to its lowest pending id (excluded) or, with
    -- nothing pending, up to the last id it was delivered (included: before its successor).
    local ms, seq
    if tonumber(group.pending) > 0 then
      local lowest = redis.call('XPENDING', stream, group.name, '-', '+', 1)[1][1]
      ms, seq = string.match(lowest, '^(%d+)-(%d+)$')
      seq = tonumber(seq)
    else
      ms, seq = string.match(group['last-delivered-id'], '^(%d+)-(%d+)$')
      seq = tonumber(seq) + 1
    end
    ms = tonumber(ms)
    if bound_ms == nil or ms < bound_ms or (ms == bound_ms and seq < bound_seq) then
      bound_ms, bound_seq, slowest = ms, seq, group.name
      bound = '(' .. string.format('%.0f-%.0f', ms, seq)
    end
  end
  return bound, slowest
end

-- Trims what retention allows; returns the last id trimmed away (or nil) and, when the stream
-- still has no room for one more message, the name of the group holding it back.
local function make_room(stream, retention)
  local excess = redis.call('XLEN', stream) + 1 - retention
  if excess <= 0 then
    return nil, nil
  end
  local wanted = math.min(excess, TRIM_BUDGET)
  local bound, slowest = acknowledged_by_all(stream)
  local doomed = redis.call('XRANGE', stream, '-', bound, 'COUNT', wanted)
  if #doomed > 0 then
    redis.call('XTRIM', stream, 'MAXLEN', redis.call('XLEN', stream) - #doomed)
  end
  local last = doomed[#doomed] and doomed[#doomed][1]
  if #doomed < wanted then
    return last, slowest
  end
  return last, nil
end
