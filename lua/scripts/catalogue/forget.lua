-- catalogue/forget: forgets where a deleted queue lived: its entry goes, the count of its pool
-- (and of the pool it migrates from, while migrating) falls by one, and the change is announced.
-- Forgetting a queue without an entry changes nothing and announces nothing.
--
-- KEYS[1]  the project's catalogue, kvdb:pools:{pools}:at:<project> (see lib/pools for the
--          layout)
-- KEYS[2]  the prefix of pool records, kvdb:pools:{pools}:p:
-- ARGV[1]  the queue; ARGV[2] the channel to announce on; ARGV[3] the announcement,
--          project/queue
-- Reply    the placement forgotten, '' when there was none
-- @include lib/pools

local catalogue_key, pool_prefix = KEYS[1], KEYS[2]
local queue, channel, announcement = ARGV[1], ARGV[2], ARGV[3]

local placed = redis.call('HGET', catalogue_key, queue)
if not placed then
  return ''
end
redis.call('HDEL', catalogue_key, queue)
local pool, from = parse_placement(placed)
count_queues(pool_prefix, pool, -1)
if from then
  count_queues(pool_prefix, from, -1)
end
redis.call('PUBLISH', channel, announcement)
return placed
