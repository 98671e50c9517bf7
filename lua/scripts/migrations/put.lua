-- migrations/put: the target's half of one step of moving a queue: stores a batch that
-- migrations/take returned, each message exactly as it was in the source (rank, ttl, expiry,
-- visible time, claim fields and count, creator, body, attributes, dead-letter moves), its bytes
-- added to the queue's sum, in the index its visible time says (delayed or ready), and
-- announces the queue when any became free, as a post does.
--
-- A replay stores nothing twice: a message this trip stored before (Q:arrived, kept for the
-- window given, so also one a consumer deleted since) or whose id is here is skipped, and so is
-- one that expired in transit. The rank counter is raised past every rank stored.
--
-- KEYS[1]  the target queue hash, kvdb:q:{project/queue} (see lib/moving)
-- ARGV[1]  the trip (as given to migrations/prepare_target); ARGV[2] how long (ms) the ids
--          stored are remembered
-- ARGV[3]  the channel to announce on, ARGV[4] the announcement
-- ARGV[5..] thirteen per message: id, then the fields of TRANSIT_FIELDS (lib/moving)
-- Reply    {now_ms, stored}
-- Errors   KVDB_NOT_FOUND when the queue does not exist here (nothing is stored)
-- @include lib/now
-- @include lib/messages
-- @include lib/moving

local queue_key, trip, window = KEYS[1], string.sub(ARGV[1], 1, 64), tonumber(ARGV[2])
local FIRST, WIDTH = 5, 1 + #TRANSIT_FIELDS
local now = now_ms()

if not redis.call('HGET', queue_key, 'cr') then
  return redis.error_reply('KVDB_NOT_FOUND queue does not exist in this pool')
end

local arrived_key = queue_key .. ':arrived'
local counter = tonumber(redis.call('HGET', queue_key, 'n')) or 0
local by_expiry, ready, hidden, delayed, arrivals = {}, {}, {}, {}, {}
local stored, bytes = 0, 0
for i = FIRST, #ARGV - WIDTH + 1, WIDTH do
  local id = ARGV[i]
  local member = trip .. ':' .. id
  local rank, expires = tonumber(ARGV[i + T_RANK]), tonumber(ARGV[i + T_EXPIRES])
  local key = message_key(queue_key, id)
  if rank and expires and expires > now and not redis.call('ZSCORE', arrived_key, member)
      and redis.call('EXISTS', key) == 0 then
    local fields = {}
    for f, name in ipairs(TRANSIT_FIELDS) do
      if ARGV[i + f] ~= '' and f ~= T_TTL then -- derived from e and cr (lib/messages)
        fields[#fields + 1], fields[#fields + 2] = name, ARGV[i + f]
      end
    end
    local size = #ARGV[i + T_BODY] + #ARGV[i + T_ATTRIBUTES]
    fields[#fields + 1], fields[#fields + 2] = 'z', size
    redis.call('HSET', key, unpack(fields))
    local visible = tonumber(ARGV[i + T_VISIBLE])
    if visible and visible > now then
      delayed[#delayed + 1], delayed[#delayed + 2] = visible, id
      hidden[#hidden + 1], hidden[#hidden + 2] = rank, id
    else
      ready[#ready + 1], ready[#ready + 2] = rank, id
    end
    by_expiry[#by_expiry + 1], by_expiry[#by_expiry + 2] = expires, id
    arrivals[#arrivals + 1], arrivals[#arrivals + 2] = now, member
    bytes = bytes + size
    counter = math.max(counter, rank)
    stored = stored + 1
  end
end

if stored > 0 then
  redis.call('ZADD', queue_key .. ':expiry', unpack(by_expiry))
  redis.call('HINCRBY', queue_key, 'sz', bytes)
  redis.call('HSET', queue_key, 'n', counter)
  redis.call('ZADD', arrived_key, unpack(arrivals))
  if #delayed > 0 then
    redis.call('ZADD', queue_key .. ':delayed', unpack(delayed))
    redis.call('ZADD', queue_key .. ':hidden', unpack(hidden))
  end
  if #ready > 0 then
    redis.call('ZADD', queue_key .. ':ready', unpack(ready))
  end
end
-- Forget arrivals older than the window a bounded number at a time (oldest first); the index
-- goes as a whole a window after the last step.
local stale = redis.call('ZCOUNT', arrived_key, '-inf', now - window)
if stale > 0 then
  redis.call('ZREMRANGEBYRANK', arrived_key, 0, math.min(stale, stored + 100) - 1)
end
if redis.call('EXISTS', arrived_key) == 1 then
  redis.call('PEXPIRE', arrived_key, window)
end
if #ready > 0 then
  redis.call('PUBLISH', ARGV[3], ARGV[4])
end
return {now, stored}
