/**
 * The traffic the abuse guard is judged against: 30 days of a normal deployment's sign-in codes,
 * and the attacks of issue 10 laid over them. Pure and deterministic (a seeded PRNG): the same seed
 * gives the same sends, so `smsdesk guard simulate` and `npm run bench` agree to the message.
 *
 * Numbers are real and valid: each country's mobile operator prefixes (checked against
 * libphonenumber-js in the tests), so the guard's country detection sees the intended region.
 *
 * @module
 */

/** One send request, at a virtual time. */
export type SimulatedSend = {
  /** Milliseconds since the epoch, on the virtual clock. */
  at: number;
  /** E.164 with the +. */
  to: string;
  ip: string;
  /** Legitimate background traffic, the scenario's attack, or the staff enrolment (legitimate too). */
  kind: 'legit' | 'attack' | 'staff';
  /** ISO 3166-1 alpha-2 region of `to`, as generated (the tests check libphonenumber-js agrees). */
  country: string;
  /** The scenario whose overlay this send belongs to; none for the legitimate background. */
  scenario: ScenarioId | undefined;
};

/** Every send is built here, so they all share one shape (sorting millions of them stays fast). */
const send = (
  at: number,
  to: string,
  ip: string,
  kind: SimulatedSend['kind'],
  country: string,
  scenario?: ScenarioId
): SimulatedSend => ({
  at,
  to,
  ip,
  kind,
  country,
  scenario,
});

export type ScenarioId = 'legit' | 'a' | 'b' | 'c' | 'staff';

export type Scenario = {
  id: ScenarioId;
  title: string;
  /** What is laid over the legitimate traffic (none for `legit`). */
  overlay: string;
  /** Where the attack (or enrolment) happens, in virtual ms: the chart's focus. */
  window?: { start: number; end: number };
  /** The overlay's sends (not the legitimate background), in time order. */
  sends: () => SimulatedSend[];
};

export type TrafficOptions = {
  /** Days of legitimate traffic (the attacks fall on the last days; at least 3). Default 30. */
  days?: number;
  /** Sessions per ordinary weekday, all countries. Default 50,000. */
  dailyCodes?: number;
  seed?: number;
};

export const defaultTraffic = { days: 30, dailyCodes: 50_000, seed: 20_261_202 } as const;

/** The virtual clock starts on a Monday at midnight UTC. */
export const simulationStart = Date.UTC(2026, 0, 5);
const hour = 3_600_000;
const day = 24 * hour;

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/** sfc32: small, fast, good enough for traffic; seeded through splitmix32. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const splitmix = () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4_294_967_296;
  };
  return {
    next,
    int: (below: number) => Math.floor(next() * below),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    /** Poisson-distributed count with mean `mean` (normal approximation above 40). */
    poisson(mean: number) {
      if (mean > 40) {
        const gauss = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
        return Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss));
      }
      const limit = Math.exp(-mean);
      let count = 0;
      for (let product = next(); product > limit; product *= next()) {
        count += 1;
      }
      return count;
    },
  };
}
export type Random = ReturnType<typeof createRandom>;

/** A stable hash of two integers, for per-block properties that must not depend on draw order. */
function hash(a: number, b: number, seed: number) {
  let h = Math.imul(a ^ seed, 0x85ebca6b) ^ Math.imul(b + 0x9e3779b9, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4_294_967_296;
}

// ---------------------------------------------------------------------------------------------
// Countries and their operators

type Operator = { name: string; share: number; prefixes: readonly string[] };
type CountryProfile = {
  region: string;
  name: string;
  /** Share of the deployment's codes (normalised over all countries). */
  share: number;
  /** Hours ahead of UTC, for the daily rhythm. */
  utcOffset: number;
  /** Digits in the E.164 number, without the +. */
  digits: number;
  operators: readonly Operator[];
};

/** North American numbers: area code + exchange (NXX, no N11 or 555), every 7th exchange. */
const northAmerican = (areas: number[]) =>
  areas.flatMap((area) =>
    Array.from({ length: 113 }, (_, index) => 201 + index * 7)
      .filter((exchange) => exchange % 100 !== 11 && exchange !== 555)
      .map((exchange) => `1${area}${exchange}`)
  );

/**
 * The deployment: a UK service (most codes to GB), with steady European, US and Indian users, and a
 * trickle to the countries the attacks go for (a few codes a day, so the guard has some history there).
 */
const countries: readonly CountryProfile[] = [
  {
    region: 'GB',
    name: 'United Kingdom',
    share: 0.78,
    utcOffset: 0,
    digits: 12,
    operators: [
      {
        name: 'EE',
        share: 0.32,
        prefixes: ['44740', '44741', '44742', '44743', '44744', '44746', '44747', '44748', '44749', '44795'],
      },
      {
        name: 'Vodafone',
        share: 0.23,
        prefixes: ['44771', '44772', '44773', '44774', '44775', '44776', '44777', '44796', '44797'],
      },
      { name: 'O2', share: 0.25, prefixes: ['44780', '44781', '44784', '44785', '44786', '44787', '44788', '44789'] },
      { name: 'Three', share: 0.14, prefixes: ['44790', '44792', '44794', '44798', '44799', '44730', '44731'] },
      { name: 'MVNOs', share: 0.06, prefixes: ['44710', '44711', '44712', '44713', '44720', '44721'] },
    ],
  },
  {
    region: 'US',
    name: 'United States',
    share: 0.05,
    utcOffset: -5,
    digits: 11,
    operators: [
      { name: 'US carriers', share: 1, prefixes: northAmerican([212, 415, 646, 312, 617, 305, 713, 206, 404, 214, 702, 303]) },
    ],
  },
  {
    region: 'DE',
    name: 'Germany',
    share: 0.04,
    utcOffset: 1,
    digits: 13,
    operators: [
      { name: 'Telekom', share: 0.4, prefixes: ['49151', '49160', '49170', '49171', '49175'] },
      { name: 'Vodafone', share: 0.35, prefixes: ['49152', '49162', '49172', '49173', '49174'] },
      { name: 'Telefónica', share: 0.25, prefixes: ['49157', '49159', '49176', '49177', '49178', '49179'] },
    ],
  },
  {
    region: 'FR',
    name: 'France',
    share: 0.03,
    utcOffset: 1,
    digits: 11,
    operators: [
      {
        name: 'French operators',
        share: 1,
        prefixes: ['3360', '3361', '3362', '3364', '3365', '3366', '3367', '3368', '3375', '3376', '3377', '3378'],
      },
    ],
  },
  {
    region: 'IE',
    name: 'Ireland',
    share: 0.025,
    utcOffset: 0,
    digits: 12,
    operators: [{ name: 'Irish operators', share: 1, prefixes: ['35383', '35385', '35386', '35387', '35389'] }],
  },
  {
    region: 'ES',
    name: 'Spain',
    share: 0.02,
    utcOffset: 1,
    digits: 11,
    operators: [
      {
        name: 'Spanish operators',
        share: 1,
        prefixes: ['3460', '3461', '3462', '3463', '3464', '3465', '3466', '3467', '3468', '3469', '3471', '3472', '3474'],
      },
    ],
  },
  {
    region: 'NL',
    name: 'Netherlands',
    share: 0.015,
    utcOffset: 1,
    digits: 11,
    operators: [{ name: 'Dutch operators', share: 1, prefixes: ['3161', '3162', '3163', '3164', '3165'] }],
  },
  {
    region: 'IN',
    name: 'India',
    share: 0.015,
    utcOffset: 5.5,
    digits: 12,
    operators: [
      {
        name: 'Indian operators',
        share: 1,
        prefixes: [
          '9170',
          '9172',
          '9173',
          '9175',
          '9176',
          '9177',
          '9178',
          '9179',
          '9188',
          '9189',
          '9190',
          '9191',
          '9193',
          '9194',
          '9195',
          '9196',
          '9197',
          '9198',
          '9199',
        ],
      },
    ],
  },
  {
    region: 'PL',
    name: 'Poland',
    share: 0.01,
    utcOffset: 1,
    digits: 11,
    operators: [
      {
        name: 'Polish operators',
        share: 1,
        prefixes: ['4850', '4851', '4853', '4857', '4860', '4866', '4869', '4872', '4878', '4879', '4888'],
      },
    ],
  },
  {
    region: 'IT',
    name: 'Italy',
    share: 0.008,
    utcOffset: 1,
    digits: 12,
    operators: [
      {
        name: 'Italian operators',
        share: 1,
        prefixes: [
          '39320',
          '39327',
          '39328',
          '39329',
          '39333',
          '39334',
          '39338',
          '39339',
          '39340',
          '39347',
          '39348',
          '39349',
          '39366',
          '39380',
          '39389',
          '39391',
          '39392',
        ],
      },
    ],
  },
  {
    region: 'CA',
    name: 'Canada',
    share: 0.004,
    utcOffset: -5,
    digits: 11,
    operators: [{ name: 'Canadian carriers', share: 1, prefixes: northAmerican([416, 647, 604, 514, 403, 613]) }],
  },
  {
    region: 'AU',
    name: 'Australia',
    share: 0.003,
    utcOffset: 10,
    digits: 11,
    operators: [{ name: 'Australian operators', share: 1, prefixes: ['6140', '6141', '6142', '6143', '6146'] }],
  },
  // +1 876 is Jamaica, not the US: the guard must tell them apart.
  {
    region: 'JM',
    name: 'Jamaica',
    share: 0.0002,
    utcOffset: -5,
    digits: 11,
    operators: [
      { name: 'Jamaican operators', share: 1, prefixes: ['1876210', '1876295', '1876383', '1876357', '1876878', '1876889'] },
    ],
  },
  // Countries this deployment rarely sends to (a few codes a day), where pumping attacks aim.
  {
    region: 'UZ',
    name: 'Uzbekistan',
    share: 0.00006,
    utcOffset: 5,
    digits: 12,
    operators: [
      {
        name: 'Uzbek operators',
        share: 1,
        prefixes: ['99890', '99891', '99893', '99894', '99895', '99897', '99898', '99899', '99833', '99888'],
      },
    ],
  },
  {
    region: 'KG',
    name: 'Kyrgyzstan',
    share: 0.00002,
    utcOffset: 6,
    digits: 12,
    operators: [
      {
        name: 'Kyrgyz operators',
        share: 1,
        prefixes: [
          '996700',
          '996701',
          '996702',
          '996703',
          '996705',
          '996707',
          '996770',
          '996771',
          '996772',
          '996773',
          '996775',
          '996777',
          '996555',
          '996557',
          '996550',
          '996500',
          '996501',
          '996502',
          '996990',
          '996999',
        ],
      },
    ],
  },
  {
    region: 'TJ',
    name: 'Tajikistan',
    share: 0.00001,
    utcOffset: 5,
    digits: 12,
    operators: [
      {
        name: 'Tajik operators',
        share: 1,
        prefixes: ['99290', '99291', '99292', '99293', '99298', '99255', '99250', '99288', '99200', '99211', '99277', '99299'],
      },
    ],
  },
  {
    region: 'AZ',
    name: 'Azerbaijan',
    share: 0.00002,
    utcOffset: 4,
    digits: 12,
    operators: [
      { name: 'Azerbaijani operators', share: 1, prefixes: ['99450', '99451', '99455', '99470', '99477', '99410', '99499'] },
    ],
  },
];

const countryByRegion = new Map(countries.map((country) => [country.region, country]));
const profile = (region: string) => countryByRegion.get(region)!;
const totalShare = countries.reduce((sum, { share }) => sum + share, 0);

/**
 * How densely a block of 1,000 numbers is populated with this deployment's users. Operators hand
 * out ranges over years: some blocks are unallocated, most are sparse, a few (recent, popular
 * ranges) are dense. Fixed per block (a hash), so the same blocks stay hot all month.
 */
function blockDensity(prefix: number, block: number, seed: number) {
  const draw = hash(prefix, block, seed);
  if (draw < 0.3) return 0; // not allocated
  if (draw < 0.75) return 0.3;
  if (draw < 0.95) return 1;
  return 4;
}
const maxDensity = 4;

/** A subscriber's number: operator by market share, a block by its density, any line in it. */
export function drawNumber(random: Random, region: string, seed: number): string {
  const country = profile(region);
  let roll = random.next();
  let operator = country.operators[0]!;
  for (const candidate of country.operators) {
    operator = candidate;
    roll -= candidate.share;
    if (roll < 0) break;
  }
  for (;;) {
    const prefix = random.pick(operator.prefixes);
    const blockDigits = country.digits - 3 - prefix.length;
    const block = random.int(10 ** blockDigits);
    // Rejection sampling: a block is chosen in proportion to its density.
    if (random.next() * maxDensity < blockDensity(Number(prefix), block, seed)) {
      return `+${prefix}${String(block).padStart(blockDigits, '0')}${String(random.int(1000)).padStart(3, '0')}`;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Addresses

/** Public (never private or documentation) prefixes the simulated clients come from. */
const publicV4 = [31, 46, 62, 77, 81, 86, 90, 109, 151, 176, 185, 212];

function randomV4(random: Random, first = random.pick(publicV4)) {
  return `${first}.${random.int(256)}.${random.int(256)}.${1 + random.int(254)}`;
}
function randomV6(random: Random) {
  const group = () => random.int(0x10000).toString(16);
  return `2a0${1 + random.int(9)}:${group()}:${group()}:${group()}:${group()}:${group()}:${group()}:${group()}`;
}

/**
 * A legitimate client's address: most mobile users sit behind their carrier's NAT (a few hundred
 * addresses per country shared by thousands), the rest on home broadband or IPv6.
 */
function legitimateAddress(random: Random, region: string) {
  const roll = random.next();
  if (roll < 0.55) {
    const carrier = hash(region.charCodeAt(0), region.charCodeAt(1), 7);
    return `${publicV4[Math.floor(carrier * publicV4.length)]}.${Math.floor(carrier * 200)}.${random.int(2)}.${1 + random.int(150)}`;
  }
  return roll < 0.8 ? randomV4(random) : randomV6(random);
}

// ---------------------------------------------------------------------------------------------
// Legitimate traffic

/** Share of a day's sessions in each local hour: quiet nights, a morning rise, evening peak. */
const dailyRhythm = (() => {
  const raw = [
    0.15, 0.1, 0.08, 0.07, 0.08, 0.15, 0.4, 0.8, 1.2, 1.4, 1.4, 1.3, 1.3, 1.35, 1.3, 1.25, 1.2, 1.2, 1.25, 1.35, 1.3, 1, 0.6, 0.3,
  ];
  const sum = raw.reduce((total, value) => total + value, 0);
  return raw.map((value) => value / sum);
})();

/**
 * Launch-day peaks (UTC day of the simulation and hour → multiplier): a product launch on day 8
 * (press and push notifications: 8× in the first hour), a marketing e-mail on day 22 at 18:00.
 */
function launchFactor(dayIndex: number, utcHour: number) {
  if (dayIndex === 8) return utcHour === 9 ? 8 : utcHour >= 10 && utcHour < 13 ? 4 : utcHour >= 13 ? 2 : 1;
  if (dayIndex === 22) return utcHour === 18 ? 5 : utcHour === 19 ? 3 : 1;
  return 1;
}

/**
 * One day of sessions. A session is one person asking for a code, and sometimes for it again:
 * 8% retry once within 30–90 s, 2% a second time within a few minutes; 3% come back later that day
 * on the same number (another device, a password reset).
 */
function legitimateDay(random: Random, dayIndex: number, dailyCodes: number, seed: number): SimulatedSend[] {
  const sends: SimulatedSend[] = [];
  const dayStart = simulationStart + dayIndex * day;
  const weekday = new Date(dayStart).getUTCDay();
  const weekFactor = weekday === 0 || weekday === 6 ? 0.75 : 1;
  for (const country of countries) {
    const perDay = (dailyCodes * country.share) / totalShare;
    for (let utcHour = 0; utcHour < 24; utcHour += 1) {
      const localHour = Math.floor((utcHour + country.utcOffset + 24) % 24);
      const sessions = random.poisson(perDay * dailyRhythm[localHour]! * weekFactor * launchFactor(dayIndex, utcHour));
      for (let session = 0; session < sessions; session += 1) {
        const at = dayStart + utcHour * hour + random.int(hour);
        const to = drawNumber(random, country.region, seed);
        const ip = legitimateAddress(random, country.region);
        sends.push(send(at, to, ip, 'legit', country.region));
        const roll = random.next();
        if (roll < 0.1) {
          const retry = at + 30_000 + random.int(60_000);
          sends.push(send(retry, to, ip, 'legit', country.region));
          if (roll < 0.02) {
            sends.push(send(retry + 60_000 + random.int(240_000), to, ip, 'legit', country.region));
          }
        } else if (roll < 0.13) {
          const later = at + hour + random.int(8 * hour);
          sends.push(send(later, to, legitimateAddress(random, country.region), 'legit', country.region));
        }
      }
    }
  }
  return sends;
}

// ---------------------------------------------------------------------------------------------
// Attacks and the staff enrolment

/** Sequential numbers from `first` (E.164 digits, no +). */
const sequential = (first: string, count: number) =>
  Array.from({ length: count }, (_, index) => `+${(BigInt(first) + BigInt(index)).toString()}`);

/**
 * (a) 5,000 attempts in 2 hours to sequential numbers in 3 blocks of Uzbekistan (walked in order,
 * then again), from a few dozen datacenter addresses.
 */
function attackA(random: Random, start: number): SimulatedSend[] {
  const blocks = ['998901234', '998901235', '998937710'];
  const numbers = blocks.flatMap((block) => sequential(`${block}000`, 1000));
  const addresses = Array.from({ length: 40 }, () => randomV4(random, 185));
  return Array.from({ length: 5000 }, (_, index) =>
    send(
      start + Math.floor((index * 2 * hour) / 5000),
      numbers[index % numbers.length]!,
      random.pick(addresses),
      'attack',
      'UZ',
      'a'
    )
  );
}

/**
 * (b) 20,000 attempts in 24 hours over Kyrgyzstan and Tajikistan, one or two numbers per block of
 * 1,000 (so no block limit trips), each from another address (residential proxies).
 */
function attackB(random: Random, start: number): SimulatedSend[] {
  const sends: SimulatedSend[] = [];
  const used = new Set<string>();
  while (sends.length < 20_000) {
    const region = sends.length % 2 === 0 ? 'KG' : 'TJ';
    const country = profile(region);
    const prefix = random.pick(country.operators[0]!.prefixes);
    const blockDigits = country.digits - 3 - prefix.length;
    const block = prefix + String(random.int(10 ** blockDigits)).padStart(blockDigits, '0');
    if (used.has(block)) continue; // each block once: one or two numbers in it, never more
    used.add(block);
    const lines = random.next() < 0.4 ? [random.int(500), 500 + random.int(500)] : [random.int(1000)];
    for (const line of lines) {
      const to = `+${block}${String(line).padStart(3, '0')}`;
      const ip = random.next() < 0.8 ? randomV4(random) : randomV6(random);
      sends.push(send(start + random.int(day), to, ip, 'attack', region, 'b'));
    }
  }
  return sends.slice(0, 20_000).sort((x, y) => x.at - y.at);
}

/** (c) One attempt every 10 minutes for a day, to sequential home-country numbers, from one address. */
function attackC(random: Random, start: number): SimulatedSend[] {
  const ip = randomV4(random, 185);
  return sequential('447400555000', 144).map((to, index) => send(start + index * 600_000, to, ip, 'attack', 'GB', 'c'));
}

/** The company's staff mobiles: one corporate contract, sequential numbers (the trusted-range example). */
export const staffRange = { first: '+447833120000', count: 200, trustedPrefix: '+447833120' } as const;

/**
 * 200 staff enrol one morning (09:00–12:00) from the office's address; one in ten asks twice.
 * Legitimate, but sequential: exactly what a block limit is for, unless the range is trusted.
 */
function staffEnrolment(random: Random, start: number): SimulatedSend[] {
  const ip = randomV4(random, 81);
  const sends = sequential(staffRange.first.slice(1), staffRange.count).flatMap((to) => {
    const at = start + random.int(3 * hour);
    const first = send(at, to, ip, 'staff', 'GB', 'staff');
    return random.next() < 0.1 ? [first, send(at + 45_000 + random.int(60_000), to, ip, 'staff', 'GB', 'staff')] : [first];
  });
  return sends.sort((x, y) => x.at - y.at);
}

// ---------------------------------------------------------------------------------------------
// Scenarios

export const scenarioIds: readonly ScenarioId[] = ['legit', 'a', 'b', 'c', 'staff'];

/**
 * The five scenarios of issue 10 over `days` of traffic. The attacks fall on the last days, after
 * the guard has learned what is normal: (a) on day N−5 at 02:00 UTC, (b) all of day N−4, (c) all of
 * day N−3, the staff enrolment on day N−2 at 09:00 UTC.
 */
export function createScenarios(options: TrafficOptions = {}): Scenario[] {
  const settings = trafficSettings(options);
  const dayStart = (offset: number) => simulationStart + (settings.days - offset) * day;
  const overlayRandom = (salt: number) => createRandom(settings.seed ^ salt);
  const a = dayStart(5) + 2 * hour;
  const staff = dayStart(2) + 9 * hour;
  return [
    { id: 'legit', title: `${settings.days} days of legitimate traffic`, overlay: 'nothing', sends: () => [] },
    {
      id: 'a',
      title: '(a) burst to sequential numbers in 3 blocks (UZ)',
      overlay: '5,000 attempts in 2 hours to sequential numbers in 3 blocks of Uzbekistan',
      window: { start: a, end: a + 2 * hour },
      sends: () => attackA(overlayRandom(0xa), a),
    },
    {
      id: 'b',
      title: '(b) spread over blocks in KG and TJ, rotating IPs',
      overlay: '20,000 attempts in 24 hours, one or two numbers per block, Kyrgyzstan and Tajikistan, a new address each time',
      window: { start: dayStart(4), end: dayStart(3) },
      sends: () => attackB(overlayRandom(0xb), dayStart(4)),
    },
    {
      id: 'c',
      title: '(c) slow drip to sequential home numbers (GB)',
      overlay: 'one attempt every 10 minutes for a day, to sequential United Kingdom numbers',
      window: { start: dayStart(3), end: dayStart(2) },
      sends: () => attackC(overlayRandom(0xc), dayStart(3)),
    },
    {
      id: 'staff',
      title: 'A company enrols 200 staff (GB)',
      overlay: '200 staff with sequential mobiles enrol one morning from the office',
      window: { start: staff, end: staff + 3 * hour },
      sends: () => staffEnrolment(overlayRandom(0x5), staff),
    },
  ];
}

function trafficSettings(options: TrafficOptions): Required<TrafficOptions> {
  const settings = { ...defaultTraffic, ...options };
  if (!Number.isInteger(settings.days) || settings.days < 6) {
    throw new RangeError('The simulation needs at least 6 days of traffic (the attacks fall on the last five).');
  }
  if (!Number.isFinite(settings.dailyCodes) || settings.dailyCodes < 1) {
    throw new RangeError('The daily volume must be a positive number of codes.');
  }
  return settings;
}

/**
 * The legitimate traffic for `days`, in time order, with each scenario's overlay merged in (tagged
 * with its scenario). Generated day by day, so memory stays at about a day of sends: one pass can
 * feed every scenario's guard.
 */
export function* replayTraffic(options: TrafficOptions, scenarios: readonly Scenario[]): Generator<SimulatedSend> {
  const settings = trafficSettings(options);
  const random = createRandom(settings.seed);
  const overlay: SimulatedSend[] = scenarios.flatMap(({ sends }) => sends()).sort((x, y) => x.at - y.at);
  let pending: SimulatedSend[] = [];
  let next = 0;
  for (let dayIndex = 0; dayIndex < settings.days; dayIndex += 1) {
    const dayEnd = simulationStart + (dayIndex + 1) * day;
    pending = pending.concat(legitimateDay(random, dayIndex, settings.dailyCodes, settings.seed));
    while (next < overlay.length && overlay[next]!.at < dayEnd) {
      pending.push(overlay[next]!);
      next += 1;
    }
    pending.sort((x, y) => x.at - y.at);
    const cut = pending.findIndex(({ at }) => at >= dayEnd);
    const ready = cut === -1 ? pending : pending.slice(0, cut);
    pending = cut === -1 ? [] : pending.slice(cut);
    yield* ready;
  }
  // Retries and returns that fall after the last day, then anything of the overlay left.
  yield* pending.concat(overlay.slice(next)).sort((x, y) => x.at - y.at);
}
