-- broker/leave: a group member's Subscribe stream ended. Hands each message its consumer holds
-- pending on each channel to the group's placeholder consumer '(left)', keeping the message's
-- idle time and delivery count, so that another member takes it once it is overdue for that
-- member, exactly as if the leaver still held it; then deletes the consumer. At most
-- MAX_HANDED messages in all per call: a consumer holding more on a channel is left in place,
-- its messages taken over by other members in time, and read_group deletes it once it holds
-- nothing. A channel whose group does not exist yet is skipped.
--
-- KEYS[1]  the project's broker prefix, kvdb:br:{project}
-- ARGV[1]  group; ARGV[2] consumer; ARGV[3..] channels
-- Reply    how many pending messages were handed to the group
local MAX_HANDED = 1000
local PLACEHOLDER = '(left)'
local prefix, group, consumer = KEYS[1], ARGV[1], ARGV[2]
local handed = 0
for i = 3, #ARGV do
  local stream = prefix .. ':one:' .. ARGV[i]
  local budget = MAX_HANDED - handed
  local pending = redis.pcall('XPENDING', stream, group, '-', '+', budget + 1, consumer)
  if pending.err == nil and #pending <= budget then
    for _, message in ipairs(pending) do
      redis.call('XCLAIM', stream, group, PLACEHOLDER, 0, message[1], 'IDLE', message[3], 'JUSTID')
    end
    handed = handed + #pending
    redis.call('XGROUP', 'DELCONSUMER', stream, group, consumer)
  end
end
return handed
