-- broker/ack: acknowledges ONE messages of a channel for a group: they are done.
--
-- KEYS[1]  the project's broker prefix, kvdb:br:{project}
-- ARGV[1]  channel; ARGV[2] group; ARGV[3..] ids
-- Reply    how many were pending
local stream = KEYS[1] .. ':one:' .. ARGV[1]
return redis.call('XACK', stream, ARGV[2], unpack(ARGV, 3))
