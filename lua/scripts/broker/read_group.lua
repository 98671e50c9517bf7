-- broker/read_group: up to `count` ONE messages of a channel for one member of a group: first
-- those another member has held unacknowledged longer than the ack timeout (a message
-- delivered `max_deliveries` times goes to the dead-letter channel <channel>.dead instead, as
-- soon as that channel has room for it: lib/broker), then new ones. Creates the group on first
-- use, from the start of the retained messages, unless the channel already has `max_groups`.
-- Moving messages to the dead-letter channel announces it, so its waiting subscribers wake. A
-- pending message whose entry is gone (only a trim from outside KVDB does that) is settled and
-- counted as lost in the hash <prefix>:lost ('<channel> <group>' -> count), never dropped
-- silently. A read that drains the channel also deletes up to MAX_REMOVED consumers left idle
-- longer than the ack timeout with nothing pending (members of a gateway that died).
--
-- KEYS[1]  the project's broker prefix, kvdb:br:{project}
-- ARGV[1]  channel; ARGV[2] group; ARGV[3] consumer; ARGV[4] count; ARGV[5] ack timeout ms;
-- ARGV[6]  max deliveries; ARGV[7] retention of the dead-letter channel; ARGV[8] event
--          channel; ARGV[9] the dead-letter channel's announcement; ARGV[10] max groups
-- Reply    {lost, id, payload, attributes, delivery count, ...}: lost counts the pending
--          messages found gone in this call
-- Errors   KVDB_LIMIT when the group is new and the channel already has `max_groups`
-- @include lib/broker
local MAX_REMOVED = 4
local prefix, channel, group, consumer = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
local count, timeout, max_deliveries = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local stream = prefix .. ':one:' .. channel
local created = redis.pcall('XGROUP', 'CREATE', stream, group, '0', 'MKSTREAM')
if type(created) == 'table' and created.err then
  if not string.find(created.err, 'BUSYGROUP') then
    return redis.error_reply(created.err)
  end
elseif #redis.call('XINFO', 'GROUPS', stream) > tonumber(ARGV[10]) then
  redis.call('XGROUP', 'DESTROY', stream, group)
  return redis.error_reply('KVDB_LIMIT channel ' .. channel .. ' already has ' .. ARGV[10]
    .. ' consumer groups, the most a channel takes')
end

local function fields_of(entry)
  local fields = {}
  for f = 1, #entry[2], 2 do
    fields[entry[2][f]] = entry[2][f + 1]
  end
  return fields
end

local reply, taken, lost, buried = {0}, 0, 0, 0
local dead = prefix .. ':one:' .. channel .. '.dead'
local stale = redis.call('XPENDING', stream, group, 'IDLE', timeout, '-', '+', count)
for _, pending in ipairs(stale) do
  local id, deliveries = pending[1], tonumber(pending[4])
  local entry = redis.call('XRANGE', stream, id, id)[1]
  if not entry then
    redis.call('XACK', stream, group, id)
    lost = lost + 1
  elseif deliveries >= max_deliveries then
    local _, full = make_room(dead, tonumber(ARGV[7]))
    if not full then
      local fields = fields_of(entry)
      redis.call('XADD', dead, '*', 'p', fields.p or '', 'a', fields.a or '', 'from', id)
      redis.call('XACK', stream, group, id)
      buried = buried + 1
    end
  else
    local claimed = redis.call('XCLAIM', stream, group, consumer, timeout, id)
    if claimed[1] then
      local fields = fields_of(claimed[1])
      reply[#reply + 1] = id
      reply[#reply + 1] = fields.p or ''
      reply[#reply + 1] = fields.a or ''
      reply[#reply + 1] = deliveries + 1
      taken = taken + 1
    end
  end
end

if lost > 0 then
  redis.call('HINCRBY', prefix .. ':lost', channel .. ' ' .. group, lost)
  reply[1] = lost
end
if buried > 0 then
  redis.call('PUBLISH', ARGV[8], ARGV[9])
end

if taken < count then
  local fresh = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', count - taken, 'STREAMS', stream, '>')
  if fresh and fresh[1] then
    for _, entry in ipairs(fresh[1][2]) do
      local fields = fields_of(entry)
      reply[#reply + 1] = entry[1]
      reply[#reply + 1] = fields.p or ''
      reply[#reply + 1] = fields.a or ''
      reply[#reply + 1] = 1
      taken = taken + 1
    end
  end
end

-- A drained channel is a cheap moment to delete a few consumers that hold nothing and have
-- been idle past the ack timeout: those of gateways that died without running broker/leave.
-- Deleting one that is in fact alive loses nothing; its next read makes it again.
if taken < count then
  local removed = 0
  for _, info in ipairs(redis.call('XINFO', 'CONSUMERS', stream, group)) do
    local found = {}
    for f = 1, #info, 2 do
      found[info[f]] = info[f + 1]
    end
    if removed < MAX_REMOVED and tonumber(found.pending) == 0 and tonumber(found.idle) > timeout
        and found.name ~= consumer then
      redis.call('XGROUP', 'DELCONSUMER', stream, group, found.name)
      removed = removed + 1
    end
  end
end
return reply
