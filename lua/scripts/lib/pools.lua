-- lib/pools: the layout of pools, flavors and the catalogue, all in the control Redis under the
-- one hash tag {pools}, so a placement checks its pool and counts it in one script:
--   kvdb:pools:{pools}:names       zset, all scores 0: the registered pools' names, "default"
--                                  never among them (it always exists)
--   kvdb:pools:{pools}:p:<name>    hash, one per pool: uri (never stored for "default"), w weight
--                                  (0..1000), fl the flavor it serves ('' for none), o options
--                                  (msgpack map), cr created (ms), q queues counted
--   kvdb:pools:{pools}:flavors     zset, all scores 0: the flavors' names
--   kvdb:pools:{pools}:f:<name>    hash, one per flavor: cr created (ms), def '1' when it is the
--                                  default flavor (at most one is)
--   kvdb:pools:{pools}:at:<project>  hash, the catalogue: queue -> placement, '<pool>' or, while
--                                  a migration moves the queue from <from> into <pool>,
--                                  '<pool> <from>'; no entry means "default"
--
-- The count q of a pool is the queues placed in it or migrating through it: a placement adds 1
-- to its pool, forgetting a queue takes 1 from its pool and from <from> when migrating; a
-- migration's start adds 1 to its target, its end takes 1 from the source, a cancel takes 1
-- from the target. "default" has no record until its first update (or count), and then no
-- uri; without one it has weight 1 and no flavor.

local DEFAULT_POOL = 'default'
-- The most pools and flavors (each besides "default"); the walks below are bounded by them.
local MAX_POOLS = 100
local MAX_FLAVORS = 100

-- The weight and flavor of a registered pool (or "default"); nil for a pool with no record.
local function pool_weight_and_flavor(pool_prefix, name)
  local f = redis.call('HMGET', pool_prefix .. name, 'w', 'fl')
  if not f[1] then
    if name == DEFAULT_POOL then
      return 1, f[2] or ''
    end
    return nil
  end
  return tonumber(f[1]), f[2] or ''
end

-- Every pool's name, "default" first, then the registered ones in name order.
local function pool_names(names_key)
  local names = {DEFAULT_POOL}
  for _, name in ipairs(redis.call('ZRANGE', names_key, 0, MAX_POOLS - 1)) do
    names[#names + 1] = name
  end
  return names
end

-- Adds delta to the count q of a pool: "default" always, another only while it is registered
-- (so a count never brings back the record of a deleted pool). Never below 0.
local function count_queues(pool_prefix, name, delta)
  local key = pool_prefix .. name
  if name ~= DEFAULT_POOL and redis.call('EXISTS', key) == 0 then
    return
  end
  if redis.call('HINCRBY', key, 'q', delta) < 0 then
    redis.call('HSET', key, 'q', 0)
  end
end

-- The pool and, while migrating, the pool it moves from (nil otherwise) of a placement string.
local function parse_placement(placement)
  local pool, from = placement:match('^(%S+) (%S+)$')
  if pool then
    return pool, from
  end
  return placement, nil
end

-- The default flavor's name, nil when no flavor is the default.
local function default_flavor(flavor_names_key, flavor_prefix)
  for _, name in ipairs(redis.call('ZRANGE', flavor_names_key, 0, MAX_FLAVORS - 1)) do
    if redis.call('HGET', flavor_prefix .. name, 'def') == '1' then
      return name
    end
  end
  return nil
end
