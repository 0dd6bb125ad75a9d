/**
 * decision.ts's `decideVelocity` as one Lua script: the whole decision is one atomic round trip
 * (EVALSHA). Keep the two in step: the conformance suite runs the same cases against both.
 *
 * KEYS: number, block, country, deployment, ip (all share one hash tag, so one cluster slot).
 * ARGV: now, monitor, trusted, hasIp, number, then the limits (-1 = off):
 *   block max/window/trip, country floor/factor/learning/share/trip, per number per day,
 *   per IP per hour, budget per hour, budget per day.
 * Returns { allowed (1|0), rule, until } with until as text (Lua numbers are not integers).
 *
 * The periods come from decision.ts; the trip-renewal rule is `renewTrip` in both, and the
 * conformance suite (test/guard/conformance.test.ts) runs both stores through the same cases.
 *
 * @module
 */
import { admittedMs, dayMs, hourMs, peakHalfLifeMs } from './decision.js';

/** How long a country's and the deployment's counters outlive their last write. */
const keepMs = 60 * dayMs;

export const decisionScript = `
local now = tonumber(ARGV[1])
local monitor = ARGV[2] == '1'
local trusted = ARGV[3] == '1'
local hasIp = ARGV[4] == '1'
local number = ARGV[5]
local nbMax, nbWindow, nbTrip = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local cFloor, cFactor, cLearn, cShare, cTrip = tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12]), tonumber(ARGV[13])
local perDay, ipLimit, budgetHour, budgetDay = tonumber(ARGV[14]), tonumber(ARGV[15]), tonumber(ARGV[16]), tonumber(ARGV[17])

local HOUR, DAY = ${hourMs}, ${dayMs}
local HALF_LIFE, ADMITTED = ${peakHalfLifeMs}, ${admittedMs}
local KEEP = ${keepMs}

local function num(value) return tonumber(value) or 0 end
local function decayed(value, since)
  if value <= 0 then return 0 end
  return value * 0.5 ^ (math.max(0, now - since) / HALF_LIFE)
end
local function text(value) return string.format('%.17g', value) end

local n = redis.call('HMGET', KEYS[1], 'c', 's')
local nCount, nStart = num(n[1]), num(n[2])
local c = redis.call('HMGET', KEYS[3], 'h', 'n', 'p', 'pa', 't', 'rh', 'r')
local cHour, cCount, cPeak, cPeakAt, cTripped = num(c[1]), num(c[2]), num(c[3]), num(c[4]), num(c[5])
local cRefusedHour, cRefused = num(c[6]), num(c[7])
local d = redis.call('HMGET', KEYS[4], 'born', 'h', 'hn', 'd', 'dn', 'tp', 'tpa')
local born = tonumber(d[1]) or now
local dHour, dHourCount, dDay, dDayCount, dTop, dTopAt = num(d[2]), num(d[3]), num(d[4]), num(d[5]), num(d[6]), num(d[7])
local ipHour, ipCount = 0, 0
if hasIp then
  local i = redis.call('HMGET', KEYS[5], 'h', 'n')
  ipHour, ipCount = num(i[1]), num(i[2])
end

-- rollHours
local hour, day = math.floor(now / HOUR), math.floor(now / DAY)
if cHour ~= hour then
  cPeak = math.max(decayed(cPeak, cPeakAt), cCount)
  cPeakAt, cHour, cCount = now, hour, 0
  if cPeak >= decayed(dTop, dTopAt) then
    dTop, dTopAt = cPeak, now
  end
end
if dHour ~= hour then dHour, dHourCount = hour, 0 end
if dDay ~= day then dDay, dDayCount = day, 0 end
if hasIp and ipHour ~= hour then ipHour, ipCount = hour, 0 end

local numberExpired = false
if nCount > 0 and now - nStart >= ADMITTED then
  nCount = 0
  numberExpired = true
end
local admitted = nCount > 0

local blockTripped, members, isMember = 0, 0, false
local blockRefusedSince, blockRefused = 0, 0
local blockChanged = false
if nbMax >= 0 then
  local raw = redis.call('HGETALL', KEYS[2])
  for i = 1, #raw, 2 do
    local field, value = raw[i], tonumber(raw[i + 1])
    if field == '_t' then
      blockTripped = value
    elseif field == '_rs' then
      blockRefusedSince = value
    elseif field == '_r' then
      blockRefused = value
    elseif now - value >= nbWindow then
      redis.call('HDEL', KEYS[2], field)
    else
      members = members + 1
      if field == number then isMember = true end
    end
  end
end

-- decision.ts's renewTrip: while tripped, refused attempts to new numbers are counted per window;
-- reaching the threshold in one window renews the trip from now. Returns the trip's end and count.
local function renewTrip(trippedUntil, refused, newWindow, threshold, tripMs)
  if newWindow then refused = 0 end
  refused = refused + 1
  if refused >= threshold then trippedUntil = now + tripMs end
  return trippedUntil, refused
end

local function countryOverLimit()
  local peak = decayed(cPeak, cPeakAt)
  local learning = now - born < cLearn
  local allowance = math.max(cFloor, math.ceil(cFactor * peak))
  if learning then
    allowance = math.max(allowance, math.ceil(cShare * dHourCount))
  end
  if cCount < allowance then return false end
  local dominant = cCount * 2 >= dHourCount
  local home = learning or peak * 2 >= decayed(dTop, dTopAt)
  return not (dominant and home)
end

local function decide()
  if not trusted then
    if perDay >= 0 and nCount >= perDay then
      return 'number-day', nStart + ADMITTED
    end
    if ipLimit >= 0 and hasIp and ipCount >= ipLimit then
      return 'ip', (hour + 1) * HOUR
    end
    if not admitted and nbMax >= 0 then
      if blockTripped > now then
        local newWindow = now - blockRefusedSince >= nbWindow
        if newWindow then blockRefusedSince = now end
        blockTripped, blockRefused = renewTrip(blockTripped, blockRefused, newWindow, nbMax, nbTrip)
        blockChanged = true
        return 'number-block', blockTripped
      end
      if not isMember and members >= nbMax then
        if not monitor then
          blockTripped = now + nbTrip
          blockChanged = true
        end
        return 'number-block', now + nbTrip
      end
    end
    if not admitted and cFloor >= 0 then
      if cTripped > now then
        local newWindow = cRefusedHour ~= hour
        if newWindow then cRefusedHour = hour end
        cTripped, cRefused = renewTrip(cTripped, cRefused, newWindow, cFloor, cTrip)
        return 'country-velocity', cTripped
      end
      if countryOverLimit() then
        if not monitor then cTripped = now + cTrip end
        return 'country-velocity', now + cTrip
      end
    end
  end
  if budgetHour >= 0 and dHourCount >= budgetHour then
    return 'budget-hour', (hour + 1) * HOUR
  end
  if budgetDay >= 0 and dDayCount >= budgetDay then
    return 'budget-day', (day + 1) * DAY
  end
  return nil, 0
end

local rule, untilTime = decide()
local counted = rule == nil or monitor

if counted then
  if nCount == 0 then nStart = now end
  nCount = nCount + 1
  if not trusted and nbMax >= 0 and not isMember then
    redis.call('HSET', KEYS[2], number, text(now))
    blockChanged = true
  end
  cCount = cCount + 1
  dHourCount = dHourCount + 1
  dDayCount = dDayCount + 1
  if hasIp then
    ipCount = ipCount + 1
    redis.call('HSET', KEYS[5], 'h', text(ipHour), 'n', text(ipCount))
    redis.call('PEXPIRE', KEYS[5], 2 * HOUR)
  end
  redis.call('HSET', KEYS[1], 'c', text(nCount), 's', text(nStart))
  redis.call('PEXPIRE', KEYS[1], math.max(1, nStart + ADMITTED - now))
elseif numberExpired then
  redis.call('DEL', KEYS[1])
end
if blockChanged then
  if blockTripped > 0 then
    redis.call('HSET', KEYS[2], '_t', text(blockTripped), '_rs', text(blockRefusedSince), '_r', text(blockRefused))
  end
  redis.call('PEXPIRE', KEYS[2], math.max(nbWindow, blockTripped - now, 1))
end
redis.call('HSET', KEYS[3], 'h', text(cHour), 'n', text(cCount), 'p', text(cPeak), 'pa', text(cPeakAt), 't', text(cTripped), 'rh', text(cRefusedHour), 'r', text(cRefused))
redis.call('PEXPIRE', KEYS[3], KEEP)
redis.call('HSET', KEYS[4], 'born', text(born), 'h', text(dHour), 'hn', text(dHourCount), 'd', text(dDay), 'dn', text(dDayCount), 'tp', text(dTop), 'tpa', text(dTopAt))
redis.call('PEXPIRE', KEYS[4], KEEP)

if rule == nil then
  return { 1, '', '0' }
end
return { counted and 1 or 0, rule, text(untilTime) }
`;
