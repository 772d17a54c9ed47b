/**
 * The Lua scripts behind every read-modify-write of the Redis store. Each runs atomically on the
 * server (EVALSHA through ioredis `defineCommand`), so many processes sharing one Redis see one
 * consistent view. Numbers travel as strings both ways (Redis truncates Lua numbers in replies).
 *
 * Counter scripts (increment, reserve, slidingWindow, adjustWindow) take the store instance's
 * bookkeeping hash as their last key and its epoch as their first argument: a call from an epoch the
 * store has fenced off (sent before an outage, delivered after recovery) is refused without effect,
 * and every accepted call bumps the hash's `acks` counter. That is what lets the failover logic know
 * exactly which in-flight calls reached Redis before a connection died (see `redis-store.ts`).
 *
 * Sliding windows follow core's two-bucket sliding-window counter (`sliding-window.ts` in core):
 * one hash per window key whose fields are bucket starts (multiples of `windowMs`) holding that
 * bucket's count; the key expires two windows after its current bucket started.
 */

/** Shared prelude: number formatting that round-trips (shortest of %.15g..%.17g), time, fencing. */
const PRELUDE = `
local function fmt(x)
  if x == math.floor(x) and math.abs(x) < 1e15 then return string.format('%.0f', x) end
  for p = 15, 17 do
    local s = string.format('%.' .. p .. 'g', x)
    if tonumber(s) == x then return s end
  end
  return string.format('%.17g', x)
end
local function num(key, v)
  if v == false or v == nil then return nil end
  local n = tonumber(v)
  if n == nil then return redis.error_reply('ERR Store key ' .. key .. ' does not hold a number') end
  return n
end
local function fenced(inst, epoch)
  local e = redis.call('HGET', inst, 'epoch')
  if e and e ~= epoch then return true end
  return false
end
local function ack(inst)
  local a = redis.call('HINCRBY', inst, 'acks', 1)
  redis.call('PEXPIRE', inst, 86400000)
  return tostring(a)
end
local function clock(arg)
  if arg ~= nil and arg ~= '' then return tonumber(arg) end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function roll(h, w, now)
  local start = math.floor(now / w) * w
  local cur = tonumber(redis.call('HGET', h, fmt(start))) or 0
  local prev = tonumber(redis.call('HGET', h, fmt(start - w))) or 0
  return start, prev, cur
end
local function estimate(prev, cur, start, w, now)
  local e = prev * (1 - (now - start) / w) + cur
  if e < 0 then return 0 end
  return e
end
local function prune(h, start, w)
  local fields = redis.call('HKEYS', h)
  if #fields <= 2 then return end
  for _, f in ipairs(fields) do
    local n = tonumber(f)
    if n == nil or n < start - w then redis.call('HDEL', h, f) end
  end
end
`;

/** KEYS: [key]; ARGV: [expected ('' with ARGV[2] = '0' for absent), expectedPresent '1'|'0', next, ttlMs|''] */
export const COMPARE_AND_SET = `
local cur = redis.call('GET', KEYS[1])
if ARGV[2] == '1' then
  if cur ~= ARGV[1] then return 0 end
else
  if cur then return 0 end
end
if ARGV[4] ~= '' then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
else
  redis.call('SET', KEYS[1], ARGV[3])
end
return 1
`;

/** Fenced. KEYS: [key, inst]; ARGV: [epoch, by, ttlMs|''] -> {'ok', value, ack} | {'fenced'} */
export const INCREMENT = `${PRELUDE}
if fenced(KEYS[2], ARGV[1]) then return {'fenced'} end
local by = tonumber(ARGV[2])
local raw = redis.call('GET', KEYS[1])
local cur = num(KEYS[1], raw)
if type(cur) == 'table' then return cur end
local v
if cur == nil then
  v = by
  if ARGV[3] ~= '' then redis.call('SET', KEYS[1], fmt(v), 'PX', ARGV[3]) else redis.call('SET', KEYS[1], fmt(v)) end
else
  v = cur + by
  redis.call('SET', KEYS[1], fmt(v), 'KEEPTTL')
end
return {'ok', fmt(v), ack(KEYS[2])}
`;

/**
 * Fenced. KEYS: [key, inst]; ARGV: [epoch, amount, limit, ttlMs|'']
 * -> {'ok', allowed '1'|'0', current, retryAfterMs, ack} | {'fenced'}
 */
export const RESERVE = `${PRELUDE}
if fenced(KEYS[2], ARGV[1]) then return {'fenced'} end
local amount = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local raw = redis.call('GET', KEYS[1])
local cur = num(KEYS[1], raw)
if type(cur) == 'table' then return cur end
local a = ack(KEYS[2])
local current = cur or 0
if current + amount > limit then
  local retry = 0
  if cur ~= nil then
    local pttl = redis.call('PTTL', KEYS[1])
    if pttl > 0 then retry = pttl end
  end
  return {'ok', '0', fmt(current), tostring(retry), a}
end
local nxt = current + amount
if cur == nil then
  if ARGV[4] ~= '' then redis.call('SET', KEYS[1], fmt(nxt), 'PX', ARGV[4]) else redis.call('SET', KEYS[1], fmt(nxt)) end
else
  redis.call('SET', KEYS[1], fmt(nxt), 'KEEPTTL')
end
return {'ok', '1', fmt(nxt), '0', a}
`;

/**
 * Fenced. KEYS: [key, inst]; ARGV: [epoch, amount, limit, windowMs, now|'']
 * -> {'ok', allowed, current, prev, cur, start, now, ack} | {'fenced'}
 * The caller computes `retryAfterMs` from the returned buckets with core's formula.
 */
export const SLIDING_WINDOW = `${PRELUDE}
if fenced(KEYS[2], ARGV[1]) then return {'fenced'} end
local amount = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local w = tonumber(ARGV[4])
local now = clock(ARGV[5])
local start, prev, cur = roll(KEYS[1], w, now)
local est = estimate(prev, cur, start, w, now)
local a = ack(KEYS[2])
if est + amount > limit + 1e-9 then
  return {'ok', '0', fmt(est), fmt(prev), fmt(cur), fmt(start), fmt(now), a}
end
cur = cur + amount
redis.call('HSET', KEYS[1], fmt(start), fmt(cur))
prune(KEYS[1], start, w)
redis.call('PEXPIRE', KEYS[1], math.max(1, start + 2 * w - now))
return {'ok', '1', fmt(est + amount), fmt(prev), fmt(cur), fmt(start), fmt(now), a}
`;

/** Fenced. KEYS: [key, inst]; ARGV: [epoch, delta, windowMs, now|''] -> {'ok', ack} | {'fenced'} */
export const ADJUST_WINDOW = `${PRELUDE}
if fenced(KEYS[2], ARGV[1]) then return {'fenced'} end
local delta = tonumber(ARGV[2])
local w = tonumber(ARGV[3])
local now = clock(ARGV[4])
local start, prev, cur = roll(KEYS[1], w, now)
cur = math.max(0, cur + delta)
redis.call('HSET', KEYS[1], fmt(start), fmt(cur))
prune(KEYS[1], start, w)
redis.call('PEXPIRE', KEYS[1], math.max(1, start + 2 * w - now))
return {'ok', ack(KEYS[2])}
`;

/** KEYS: [key]; ARGV: [windowMs, now|''] -> estimate */
export const PEEK_WINDOW = `${PRELUDE}
local w = tonumber(ARGV[1])
local now = clock(ARGV[2])
if redis.call('EXISTS', KEYS[1]) == 0 then return '0' end
local start, prev, cur = roll(KEYS[1], w, now)
return fmt(estimate(prev, cur, start, w, now))
`;

/**
 * Fences off every call sent before an outage and reports how many counter calls Redis accepted
 * from this store instance. KEYS: [inst] -> {epoch, acks}
 */
export const FENCE = `
local e = redis.call('HINCRBY', KEYS[1], 'epoch', 1)
local a = redis.call('HGET', KEYS[1], 'acks') or '0'
redis.call('PEXPIRE', KEYS[1], 86400000)
return {tostring(e), a}
`;

/**
 * Applies the counter deltas recorded during an outage, once: a batch id already applied is
 * skipped. KEYS: [inst]; ARGV: [batchId, n, then n groups of 5:
 *   kind ('c' counter | 'w' window), key, delta, ttlMs|'' (counter: on create; window: remaining), bucketStart|'']
 * Counter keys and window keys are full (prefixed) key names.
 */
export const APPLY_DELTAS = `${PRELUDE}
local done = tonumber(redis.call('HGET', KEYS[1], 'batch') or '0')
local id = tonumber(ARGV[1])
if id <= done then return 'dup' end
redis.call('HSET', KEYS[1], 'batch', ARGV[1])
redis.call('PEXPIRE', KEYS[1], 86400000)
local n = tonumber(ARGV[2])
for i = 0, n - 1 do
  local b = 3 + i * 5
  local kind, key, delta = ARGV[b], ARGV[b + 1], tonumber(ARGV[b + 2])
  if kind == 'c' then
    local cur = tonumber(redis.call('GET', key) or 'x')
    if cur == nil then
      if ARGV[b + 3] ~= '' then redis.call('SET', key, fmt(delta), 'PX', ARGV[b + 3]) else redis.call('SET', key, fmt(delta)) end
    else
      redis.call('SET', key, fmt(cur + delta), 'KEEPTTL')
    end
  else
    local ttl = tonumber(ARGV[b + 3])
    local start = tonumber(ARGV[b + 4])
    if ttl > 0 then
      local f = fmt(start)
      local cur = tonumber(redis.call('HGET', key, f)) or 0
      redis.call('HSET', key, f, fmt(math.max(0, cur + delta)))
      local pttl = redis.call('PTTL', key)
      if pttl < ttl then redis.call('PEXPIRE', key, ttl) end
    end
  end
end
return 'ok'
`;

/**
 * Several limits at once, all or nothing (core's `Store.admit`). Fenced.
 * KEYS: per check its key, and for a capped check then its limit key; the instance hash last.
 * ARGV: [epoch, now|'', n, then n groups of 4: type ('w' window | 'c' capped), amount, limit|'', windowMs|'']
 * -> {'ok', '1', ack, then per check: current|'', limit|''} (admitted; '' for a skipped capped check)
 *  | {'ok', '0', ack, index (0-based), current, limit, then window: prev, cur, start, now | capped: pttl}
 *  | {'fenced'}
 */
export const ADMIT = `${PRELUDE}
if fenced(KEYS[#KEYS], ARGV[1]) then return {'fenced'} end
local now = clock(ARGV[2])
local n = tonumber(ARGV[3])
local a = ack(KEYS[#KEYS])
local plan = {}
local k = 1
for i = 0, n - 1 do
  local b = 4 + i * 4
  local amount = tonumber(ARGV[b + 1])
  if ARGV[b] == 'w' then
    local key = KEYS[k]
    k = k + 1
    local limit = tonumber(ARGV[b + 2])
    local w = tonumber(ARGV[b + 3])
    local start, prev, cur = roll(key, w, now)
    local est = estimate(prev, cur, start, w, now)
    if est + amount > limit + 1e-9 then
      return {'ok', '0', a, tostring(i), fmt(est), fmt(limit), fmt(prev), fmt(cur), fmt(start), fmt(now)}
    end
    plan[i + 1] = {'w', key, amount, w, start, cur, fmt(est + amount), fmt(limit)}
  else
    local key, lk = KEYS[k], KEYS[k + 1]
    k = k + 2
    local raw = redis.call('GET', lk)
    if raw then
      local limit = num(lk, raw)
      if type(limit) == 'table' then return limit end
      local used = num(key, redis.call('GET', key)) or 0
      if type(used) == 'table' then return used end
      local pttl = redis.call('PTTL', lk)
      if used + amount > limit then
        return {'ok', '0', a, tostring(i), fmt(used), fmt(limit), tostring(math.max(0, pttl))}
      end
      plan[i + 1] = {'c', key, amount, pttl, used, fmt(used + amount), fmt(limit)}
    else
      plan[i + 1] = {'s'}
    end
  end
end
local out = {'ok', '1', a}
for i = 1, n do
  local p = plan[i]
  if p[1] == 'w' then
    local key, w, start = p[2], p[4], p[5]
    redis.call('HSET', key, fmt(start), fmt(p[6] + p[3]))
    prune(key, start, w)
    redis.call('PEXPIRE', key, math.max(1, start + 2 * w - now))
    out[#out + 1] = p[7]
    out[#out + 1] = p[8]
  elseif p[1] == 'c' then
    local key = p[2]
    if redis.call('EXISTS', key) == 1 then
      redis.call('SET', key, fmt(p[5] + p[3]), 'KEEPTTL')
    elseif p[4] > 0 then
      redis.call('SET', key, fmt(p[5] + p[3]), 'PX', p[4])
    else
      redis.call('SET', key, fmt(p[5] + p[3]))
    end
    out[#out + 1] = p[6]
    out[#out + 1] = p[7]
  else
    out[#out + 1] = ''
    out[#out + 1] = ''
  end
end
return out
`;
