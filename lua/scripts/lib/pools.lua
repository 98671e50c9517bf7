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

-- Whether value is a name of a pool or flavor: ^[A-Za-z0-9_.-]{1,64}$.
local function is_pool_name(value)
  return #value >= 1 and #value <= 64 and value:match('^[A-Za-z0-9_.-]+$') ~= nil
end

-- A pool as replies show it: {name, uri, weight, flavor, options (msgpack, '' for none),
-- queues, created_ms ('' for "default" without a record)}; nil for a pool that does not exist.
local function pool_fields(pool_prefix, name)
  local f = redis.call('HMGET', pool_prefix .. name, 'uri', 'w', 'fl', 'o', 'q', 'cr')
  if not f[2] then
    if name ~= DEFAULT_POOL then
      return nil
    end
    return {name, '', 1, f[3] or '', '', tonumber(f[5] or '0'), ''}
  end
  return {name, f[1] or '', tonumber(f[2]), f[3] or '', f[4] or '', tonumber(f[5] or '0'),
    f[6] or ''}
end

-- The pools that serve flavor, in the order of pool_names.
local function flavor_pools(names_key, pool_prefix, flavor)
  local serving = {}
  for _, name in ipairs(pool_names(names_key)) do
    local weight, serves = pool_weight_and_flavor(pool_prefix, name)
    if weight and serves == flavor then
      serving[#serving + 1] = name
    end
  end
  return serving
end

-- Makes flavor the only default one: every other flavor loses its def mark.
local function make_default_flavor(flavor_names_key, flavor_prefix, flavor)
  for _, name in ipairs(redis.call('ZRANGE', flavor_names_key, 0, MAX_FLAVORS - 1)) do
    if name ~= flavor then
      redis.call('HDEL', flavor_prefix .. name, 'def')
    end
  end
  redis.call('HSET', flavor_prefix .. flavor, 'def', '1')
end

-- A flavor as replies show it: {name, default (1 or 0), created_ms, pool count, pool names...}.
local function flavor_fields(flavor_prefix, names_key, pool_prefix, name)
  local f = redis.call('HMGET', flavor_prefix .. name, 'cr', 'def')
  local serving = flavor_pools(names_key, pool_prefix, name)
  local fields = {name, f[2] == '1' and 1 or 0, f[1] or '', #serving}
  for _, pool in ipairs(serving) do
    fields[#fields + 1] = pool
  end
  return fields
end

-- Checks a pool's weight, flavor and options as create and update take them; an error reply,
-- or nil when they are good. flavor and options may be nil (not changed).
local function pool_settings_error(flavor_prefix, weight, flavor, options)
  if weight ~= nil then
    local w = tonumber(weight)
    if not w or w ~= math.floor(w) or w < 0 or w > 1000 then
      return redis.error_reply('KVDB_INVALID pool.weight must be a whole number from 0 to 1000')
    end
  end
  if flavor ~= nil and flavor ~= '' then
    if not is_pool_name(flavor) or redis.call('EXISTS', flavor_prefix .. flavor) == 0 then
      return redis.error_reply('KVDB_INVALID pool.flavor names no flavor: ' .. flavor:sub(1, 64))
    end
  end
  if options ~= nil and #options > 4096 then
    return redis.error_reply('KVDB_INVALID pool.options must be at most 4 KiB')
  end
  return nil
end
