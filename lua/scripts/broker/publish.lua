-- broker/publish: appends a message to a channel's stream and announces it so waiting
-- subscribers wake. Retention keeps the newest `retention` messages but never trims one that a
-- consumer group has not acknowledged (lib/broker); a ONE stream full of such messages refuses
-- the message, naming the group furthest behind. For ALL streams it remembers the last id
-- trimmed away, so a subscriber that fell behind it knows it missed messages.
--
-- KEYS[1]  the project's broker prefix, kvdb:br:{project}; a channel's streams are
--          <prefix>:all:<channel> and <prefix>:one:<channel>, the last ids trimmed away are in
--          the hash <prefix>:trimmed (stream key -> id)
-- ARGV[1]  channel; ARGV[2] mode ('all' or 'one'); ARGV[3] payload; ARGV[4] msgpack attributes
--          or ''; ARGV[5] retention (messages); ARGV[6] event channel; ARGV[7] announcement
-- Reply    the new message's id
-- Errors   KVDB_LIMIT when the channel holds `retention` messages and its oldest is not yet
--          acknowledged by the group named
-- @include lib/broker
local prefix = KEYS[1]
local stream = prefix .. ':' .. ARGV[2] .. ':' .. ARGV[1]
local retention = tonumber(ARGV[5])
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
