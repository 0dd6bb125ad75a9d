// What every sender sends: the same account, sender and template, to the same sequence of
// destinations, so they are compared on equal terms. Fake credentials; the fake endpoint checks them.
export const accountSID = `AC${'0123456789abcdef'.repeat(2)}`;
export const authToken = 'bench-auth-token-0123456789abcdef';
export const messagingServiceSID = `MG${'fedcba9876543210'.repeat(2)}`;

// A login burst goes to many people: 100,000 distinct valid mobile numbers in 10 countries
// (libphonenumber's example numbers with the last six digits varied; all valid), more than a
// sender process sends in the whole bench, so that no per-number cache flatters a sender. Each
// country's 10,000 spread over 1,000 blocks of 1,000 (10 numbers each), as real subscribers are,
// so the abuse guard's number-block limit does its normal work without tripping. Logto passes
// them without the "+".
const exampleMobiles = [
  '+12015550123',
  '+447400123456',
  '+4915123456789',
  '+33612345678',
  '+918123456789',
  '+5511961234567',
  '+522221234567',
  '+61412345678',
  '+819012345678',
  '+34612345678',
];
const stems = exampleMobiles.map((number) => number.slice(0, -6));
export const destination = (serial) => {
  const index = (serial * 7919) % 100_000;
  const within = index % 10_000;
  const block = String(Math.floor(within / 10)).padStart(3, '0');
  return `${stems[Math.floor(index / 10_000)]}${block}${String((within % 10) * 97).padStart(3, '0')}`;
};
export const authorization = `Basic ${Buffer.from(`${accountSID}:${authToken}`).toString('base64')}`;
export const messagesUrl = `https://api.twilio.com/2010-04-01/Accounts/${accountSID}/Messages.json`;

const validity = 'The code will remain active for 10 minutes.';
/** The connector config as Logto stores it; `storedConfig()` is a fresh copy, as Logto's getConfig reads it from the database. */
const connectorConfig = {
  accountSID,
  authToken,
  fromMessagingServiceSID: messagingServiceSID,
  templates: [
    { usageType: 'SignIn', content: `Your Logto sign-in verification code is {{code}}. ${validity}` },
    { usageType: 'Register', content: `Your Logto sign-up verification code is {{code}}. ${validity}` },
    { usageType: 'ForgotPassword', content: `Your Logto password change verification code is {{code}}. ${validity}` },
    { usageType: 'Generic', content: `Your Logto verification code is {{code}}. ${validity}` },
  ],
};

/**
 * The connector's guard for the sender rows. "off" is the connector as it was before the guard;
 * "memory" and "redis" run every velocity rule at the defaults except the country allowance, raised
 * so that a burst of thousands of sends a second to 10 countries (which the defaults rightly stop)
 * is allowed: each decision does the same work, and every send still reaches the endpoint.
 */
const guardConfigs = {
  off: { guard: { mode: 'off' } },
  memory: { guard: { mode: 'enforce', country: { floorPerHour: 10_000_000 } } },
  redis: {
    guard: { mode: 'enforce', country: { floorPerHour: 10_000_000 } },
    redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  },
};

export const body = (code) => `Your Logto sign-in verification code is ${code}. ${validity}`;
export const code = (serial) => String(100_000 + (serial % 900_000));

const configJson = JSON.stringify(connectorConfig);
/** A fresh copy of the stored config, with one of {@link guardConfigs} when given. */
export const storedConfig = (guard) => (guard ? { ...JSON.parse(configJson), ...guardConfigs[guard] } : JSON.parse(configJson));
