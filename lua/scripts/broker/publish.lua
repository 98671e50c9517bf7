-- broker/publish: appends a message to a channel's stream and announces it so waiting
-- subscribers wake. Retention keeps the newest `retention` messages but never trims one that a
-- consumer group has not acknowledged (lib/broker); a ONE stream full of such messages refuses
-- the message, naming the group furthest behind. For ALL streams it remembers the last id
-- trimmed away, so a subscriber that fell behind it knows it missed messages.
--
-- KEYS[1]  the project's broker prefix, kvdb:br:{project}; a channel's streams are
--          <prefix>:all:<channel> and <prefix>:one:<channel>, the last ids trimmed away are in
--          the hash <prefix>:trimmed (stream key -> id), the channels ever published to in
--          the set <prefix>:channels ('<mode>:<channel>')
-- KEYS[2]  the project's quota record, kvdb:quota:{project} (see quotas/get): a new channel is
--          refused once the set holds max_channels (exact: the set shares the record's slot)
-- ARGV[1]  channel; ARGV[2] mode ('all' or 'one'); ARGV[3] payload; ARGV[4] msgpack attributes
--          or ''; ARGV[5] retention (messages); ARGV[6] event channel; ARGV[7] announcement
-- Reply    the new message's id
-- Errors   KVDB_QUOTA max_channels when the channel is new and the project's quota is reached;
--          KVDB_LIMIT when the channel holds `retention` messages and its oldest is not yet
--          acknowledged by the group named
-- @include lib/broker
local prefix = KEYS[1]
local stream = prefix .. ':' .. ARGV[2] .. ':' .. ARGV[1]
local retention = tonumber(ARGV[5])
-- A stream published to before the registry existed joins it on its next publish, uncounted.
local channels, member = prefix .. ':channels', ARGV[2] .. ':' .. ARGV[1]
if redis.call('SISMEMBER', channels, member) == 0 then
  local max = tonumber(redis.call('HGET', KEYS[2], 'max_channels'))
  local count = redis.call('SCARD', channels)
  if max and count >= max and redis.call('EXISTS', stream) == 0 then
    return redis.error_reply('KVDB_QUOTA max_channels the project has ' .. count ..
      ' channels, its quota is ' .. max)
  end
  redis.call('SADD', channels, member)
end
local trimmed, slowest = make_room(stream, retention)
if trimmed and ARGV[2] == 'all' then
  redis.call('HSET', prefix .. ':trimmed', stream, trimmed)
end
if slowest then
  return redis.error_reply('KVDB_LIMIT channel ' .. ARGV[1] .. ' holds its retention of ' .. retention
    .. ' messages and group ' .. slowest .. ' has not acknowledged the oldest; it is trimmed only once'
    .. ' every group has acknowledged it')
end
local id = redis.call('XADD', stream, '*', 'p', ARGV[3], 'a', ARGV[4])
redis.call('PUBLISH', ARGV[6], ARGV[7])
return id
