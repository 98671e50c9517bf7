-- broker/publish: appends a message to a channel's stream, keeping the newest `retention`
-- messages, remembers the last id trimmed away (so a subscriber that fell behind it knows it
-- missed messages), and announces the message so waiting subscribers wake.
--
-- KEYS[1]  the project's broker prefix, kvdb:br:{project}; a channel's streams are
--          <prefix>:all:<channel> and <prefix>:one:<channel>, the last ids trimmed away are in
--          the hash <prefix>:trimmed (stream key -> id)
-- ARGV[1]  channel; ARGV[2] mode ('all' or 'one'); ARGV[3] payload; ARGV[4] msgpack attributes
--          or ''; ARGV[5] retention (messages); ARGV[6] event channel; ARGV[7] announcement
-- Reply    the new message's id
local prefix = KEYS[1]
local stream = prefix .. ':' .. ARGV[2] .. ':' .. ARGV[1]
local retention = tonumber(ARGV[5])
local excess = redis.call('XLEN', stream) + 1 - retention
if excess > 0 then
  local doomed = redis.call('XRANGE', stream, '-', '+', 'COUNT', excess)
  redis.call('HSET', prefix .. ':trimmed', stream, doomed[#doomed][1])
end
local id = redis.call('XADD', stream, 'MAXLEN', retention, '*', 'p', ARGV[3], 'a', ARGV[4])
redis.call('PUBLISH', ARGV[6], ARGV[7])
return id
