-- catalogue/place: where a new queue lives. An existing entry is returned unchanged; otherwise a
-- pool is picked at random by weight among the candidates, the entry written with HSETNX (so two
-- gateways creating one queue agree on the first one's pick), the pool's count raised and the
-- placement announced.
--
-- KEYS[1]  the project's catalogue, kvdb:pools:{pools}:at:<project> (see lib/pools for the
--          layout)
-- KEYS[2]  the pools' names, kvdb:pools:{pools}:names
-- KEYS[3]  the prefix of pool records, kvdb:pools:{pools}:p:
-- KEYS[4]  the flavors' names, kvdb:pools:{pools}:flavors
-- KEYS[5]  the prefix of flavor records, kvdb:pools:{pools}:f:
-- ARGV[1]  the queue; ARGV[2] its flavor ('' for none)
-- ARGV[3]  a random number in [0, 1) from the caller; ARGV[4] the channel to announce on
-- ARGV[5]  the announcement, project/queue
-- Reply    the placement, '<pool>' or '<pool> <from>' (lib/pools)
-- Errors   KVDB_INVALID metadata when the flavor does not exist; KVDB_LIMIT when no pool takes
--          new queues; KVDB_INTERNAL when the random number is not in [0, 1)
--
-- Candidates are the pools with weight above 0 that serve the flavor; for no flavor, the default
-- flavor's pools when a flavor is the default, else every pool. They are walked in the order of
-- lib/pools pool_names ("default" first), the pick being the first whose running sum of weights
-- exceeds random times their total. Lua's own math.random is seeded the same on every call, hence
-- the caller's number. At most lib/pools MAX_POOLS pools and MAX_FLAVORS flavors are read.
-- @include lib/pools

local catalogue_key, names_key, pool_prefix, flavor_names_key, flavor_prefix =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local queue, flavor, random, channel, announcement =
  ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]

local placed = redis.call('HGET', catalogue_key, queue)
if placed then
  return placed
end
if not random or random < 0 or random >= 1 then
  return redis.error_reply('KVDB_INTERNAL the random number must be in [0, 1)')
end
if flavor ~= '' then
  if #flavor > 64 or redis.call('EXISTS', flavor_prefix .. flavor) == 0 then
    return redis.error_reply('KVDB_INVALID metadata _flavor names no flavor: ' ..
      flavor:sub(1, 64))
  end
else
  flavor = default_flavor(flavor_names_key, flavor_prefix)
end

local candidates, weights, total = {}, {}, 0
for _, name in ipairs(pool_names(names_key)) do
  local weight, serves = pool_weight_and_flavor(pool_prefix, name)
  if weight and weight > 0 and (flavor == nil or serves == flavor) then
    candidates[#candidates + 1] = name
    weights[#weights + 1] = weight
    total = total + weight
  end
end
if #candidates == 0 then
  return redis.error_reply('KVDB_LIMIT no pool takes new queues' ..
    (flavor and (' of flavor ' .. flavor) or '') .. ': none has a weight above 0')
end

local target, pool = random * total, candidates[#candidates]
local sum = 0
for i = 1, #candidates do
  sum = sum + weights[i]
  if target < sum then
    pool = candidates[i]
    break
  end
end
redis.call('HSETNX', catalogue_key, queue, pool)
count_queues(pool_prefix, pool, 1)
redis.call('PUBLISH', channel, announcement)
return pool
