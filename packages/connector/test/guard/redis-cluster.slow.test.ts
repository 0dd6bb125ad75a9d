/**
 * The guard on a real Redis Cluster: three masters started here from the machine's redis-server,
 * reached with Logto's cluster form of REDIS_URL (`redis://host1?cluster=1&host=host2`). Decisions
 * are the cluster's (never the in-memory fallback's), the conformance cases pass there as on one
 * Redis, two stores (two Logto instances) share the limits, status() and reset() find an account’s
 * keys on whichever master holds them, and a process that started before the cluster was reachable
 * uses it once it is.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createConnection, createServer } from 'node:net';

import { ConnectorError, TemplateType } from '@logto/connector-kit';

import createConnector, {
  type GuardStore,
  createGuard,
  createRedisStore,
  keyTag,
  parseGuardOptions,
  storeFor,
} from '../../src/index.js';
import { type TwilioDouble, authToken, messagingServiceSid, startTwilioDouble } from '../helpers/twilio-double.js';

import { conformanceCases } from './conformance-cases.js';
import { type PrivateRedisCluster, freePort, freshStore, pause, sequential, spread, startRedisCluster } from './helpers.js';

let cluster: PrivateRedisCluster | undefined;
let twilio: TwilioDouble | undefined;
const stores: GuardStore[] = [];
const keyPrefix = `smsdesk-test:cluster:${randomUUID().slice(0, 8)}`;
// As a production cluster: every node asks for a password, here one that needs percent-encoding in the URL.
const password = `p@ss/w:rd-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  [cluster, twilio] = await Promise.all([startRedisCluster(3, password), startTwilioDouble()]);
});
afterAll(async () => {
  for (const store of stores) {
    await store.close();
  }
  await twilio?.close();
  await cluster?.stop();
});

const clusterUrl = () => cluster!.url;
const nodes = () => cluster!.nodes;

/** A store on the cluster, as one Logto instance holds it, logging fallbacks in `notices`. */
const openStore = async (accountSid: string, notices: Array<Record<string, unknown>>, statusDeadlineMs?: number) => {
  const store = createRedisStore({
    url: clusterUrl(),
    accountSid,
    keyPrefix,
    log: (line) => notices.push(line),
    statusDeadlineMs,
  });
  stores.push(store);
  expect(await store.ready()).toBe(true);
  return store;
};

/** The port of the master that serves `slot`, from each node's own view of its slots. */
async function masterOf(slot: number) {
  for (const { port, cli } of nodes()) {
    const myself = (await cli('cluster', 'nodes')).split('\n').find((line) => line.includes('myself'))!;
    const ranges = myself.split(' ').slice(8);
    if (
      ranges.some((range) => {
        const [from, to = from] = range.split('-').map(Number);
        return slot >= from! && slot <= to!;
      })
    ) {
      return port;
    }
  }
  throw new Error(`No master serves slot ${slot}`);
}

const slotOf = async (accountSid: string, prefix = keyPrefix) =>
  Number(await nodes()[0]!.cli('cluster', 'keyslot', keyTag(prefix, accountSid)));

/** How many keys each node holds in `slot`, by port. */
const keysInSlotByNode = async (slot: number) =>
  Object.fromEntries(
    await Promise.all(nodes().map(async ({ port, cli }) => [port, Number(await cli('cluster', 'countkeysinslot', String(slot)))]))
  ) as Record<number, number>;

const freshAccount = () => `AC${randomBytes(16).toString('hex')}`;

/** Two accounts whose keys live on different masters. */
async function accountsOnTwoMasters() {
  const first = freshAccount();
  const firstMaster = await masterOf(await slotOf(first));
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const second = freshAccount();
    const secondMaster = await masterOf(await slotOf(second));
    if (secondMaster !== firstMaster) {
      return [
        { accountSid: first, master: firstMaster },
        { accountSid: second, master: secondMaster },
      ];
    }
  }
  throw new Error('Every account landed on one master');
}

describe('the conformance cases on a Redis Cluster', () => {
  conformanceCases(async (notices) => {
    const store = await freshStore('redis', notices, clusterUrl());
    stores.push(store);
    return store;
  });
});

describe('a Redis Cluster shared by two Logto instances', () => {
  it('shares one number-block limit per account; status() and reset() find each account’s keys on its own master', async () => {
    const accounts = await accountsOnTwoMasters();
    const notices: Array<Record<string, unknown>> = [];
    const block = '+1415555';

    for (const { accountSid, master } of accounts) {
      // Two instances: each its own store, its own client, one guard each.
      const options = parseGuardOptions({ accountSID: accountSid });
      const instances = [await openStore(accountSid, notices), await openStore(accountSid, notices)].map((store) =>
        createGuard(options, { store, log: () => undefined })
      );
      const outcomes = [];
      for (let index = 0; index < 12; index += 1) {
        const decision = await instances[index % 2]!.check({ to: sequential(block, index) });
        outcomes.push(decision.allowed ? 'allowed' : decision.rule);
      }
      // 10 new numbers per block per hour across both instances, not 10 each.
      expect(outcomes).toEqual([...Array.from({ length: 10 }, () => 'allowed'), 'number-block', 'number-block']);

      // The keys are on the master that owns the account's slot, and only there.
      const slot = await slotOf(accountSid);
      const byNode = await keysInSlotByNode(slot);
      expect(byNode[master]).toBeGreaterThan(0);
      expect(Object.entries(byNode).filter(([port, count]) => Number(port) !== master && count > 0)).toEqual([]);
    }
    expect(accounts[0]!.master).not.toBe(accounts[1]!.master);

    // A third instance reads each account's state wherever it lives.
    for (const { accountSid } of accounts) {
      const status = await (await openStore(accountSid, notices)).status();
      expect(status.sendsThisHour).toBe(10);
      expect(status.tripped).toEqual([expect.objectContaining({ kind: 'number-block', key: block })]);
      expect(status.countries).toEqual([expect.objectContaining({ country: 'US', sendsThisHour: 10 })]);
      expect(status.keys).toBeGreaterThan(0);
    }

    // reset() clears one account's keys on its master and leaves the other's.
    const [first, second] = accounts;
    await (await openStore(first!.accountSid, notices)).reset();
    expect(Object.values(await keysInSlotByNode(await slotOf(first!.accountSid)))).toEqual([0, 0, 0]);
    expect((await keysInSlotByNode(await slotOf(second!.accountSid)))[second!.master]).toBeGreaterThan(0);
    expect((await (await openStore(first!.accountSid, notices)).status()).sendsThisHour).toBe(0);
    await (await openStore(second!.accountSid, notices)).reset();
    expect(Object.values(await keysInSlotByNode(await slotOf(second!.accountSid)))).toEqual([0, 0, 0]);

    // Every decision, read and reset was the cluster's: nothing fell back to memory.
    expect(notices).toEqual([]);
  });

  it('the connector’s sendMessage with redisUrl in the cluster form: the limit is kept on the cluster', async () => {
    const accountSid = freshAccount();
    const config = {
      accountSID: accountSid,
      authToken,
      fromMessagingServiceSID: messagingServiceSid,
      baseUrl: twilio!.url,
      templates: ['Register', 'SignIn', 'ForgotPassword', 'Generic'].map((usageType) => ({
        usageType,
        content: `${usageType} code {{code}}`,
      })),
      redisUrl: clusterUrl(),
    };
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
    const store = storeFor(parseGuardOptions(config));
    try {
      const connector = await createConnector({ getConfig: async () => config });
      // A running Logto has long been connected (see redis.slow.test.ts).
      expect(await (store as GuardStore & { ready(): Promise<boolean> }).ready()).toBe(true);
      const outcomes = [];
      for (let index = 0; index < 12; index += 1) {
        try {
          await connector.sendMessage({
            to: sequential('+12125557', index),
            type: TemplateType.SignIn,
            payload: { code: '551177' },
          });
          outcomes.push('sent');
        } catch (error) {
          outcomes.push(error instanceof ConnectorError ? error.code : String(error));
        }
      }
      expect(outcomes).toEqual([...Array.from({ length: 10 }, () => 'sent'), 'rate_limit_exceeded', 'rate_limit_exceeded']);
      expect(twilio!.requests.filter(({ path }) => path.includes(accountSid))).toHaveLength(10);

      // Counted on the cluster (the default key prefix, on this private cluster).
      const slot = await slotOf(accountSid, 'smsdesk:guard');
      expect((await keysInSlotByNode(slot))[await masterOf(slot)]).toBeGreaterThan(0);
      expect((await store.status()).sendsThisHour).toBe(10);
      const events = lines.flatMap((line) => {
        try {
          return [(JSON.parse(line) as { event?: string }).event];
        } catch {
          return [];
        }
      });
      expect(events).toContain('sms_guard_refused');
      expect(events).not.toContain('sms_guard_redis_fallback');
      expect(lines.join('\n')).not.toContain('p@ss');
    } finally {
      spy.mockRestore();
      await store.reset();
      // The connector's own store (module-level, as in Logto): closed before the cluster stops.
      await store.close();
    }
  });
});

describe('a master that stops answering', () => {
  it('only the accounts on it fall back; the others’ decisions, status() and reset() go on; it is used again once it answers', async () => {
    const [onStopped, onOther] = await accountsOnTwoMasters();
    const stoppedNode = nodes().find(({ port }) => port === onStopped!.master)!;
    const stoppedNotices: Array<Record<string, unknown>> = [];
    const otherNotices: Array<Record<string, unknown>> = [];
    const stopped = await openStore(onStopped!.accountSid, stoppedNotices, 500);
    const other = await openStore(onOther!.accountSid, otherNotices);
    const guardOn = (store: GuardStore, accountSid: string) =>
      createGuard(parseGuardOptions({ accountSID: accountSid }), { store, log: () => undefined });
    const [stoppedGuard, otherGuard] = [guardOn(stopped, onStopped!.accountSid), guardOn(other, onOther!.accountSid)];
    expect(await stoppedGuard.check({ to: spread('+1415', 1) })).toEqual({ allowed: true });

    // Stopped well within the cluster's node timeout (15 s): the cluster itself stays up.
    stoppedNode.child.kill('SIGSTOP');
    try {
      expect(await stoppedGuard.check({ to: spread('+1415', 2) })).toEqual({ allowed: true });
      expect(stoppedNotices).toEqual([expect.objectContaining({ reason: 'Redis did not answer within 100 ms' })]);
      // Its status says so rather than hang (`smsdesk guard status`).
      await expect(stopped.status()).rejects.toThrow(
        /did not answer within 0\.5 s: the guard’s counters there cannot be read\.$/
      );

      expect(await otherGuard.check({ to: spread('+1415', 3) })).toEqual({ allowed: true });
      expect((await other.status()).sendsThisHour).toBe(1);
      await other.reset();
      expect((await other.status()).keys).toBe(0);
      expect(otherNotices).toEqual([]);
    } finally {
      stoppedNode.child.kill('SIGCONT');
    }

    // Once it answers (and the store's pause after a failure is over), decisions count there again.
    const before = (await stopped.status()).sendsThisHour;
    let countedOnRedis = false;
    for (let attempt = 0; attempt < 50 && !countedOnRedis; attempt += 1) {
      expect(await stoppedGuard.check({ to: spread('+1415', 10 + attempt) })).toEqual({ allowed: true });
      countedOnRedis = (await stopped.status()).sendsThisHour > before;
      if (!countedOnRedis) {
        await pause(100);
      }
    }
    expect(countedOnRedis).toBe(true);
    await stopped.reset();
  });
});

describe('a process that starts before the cluster is reachable', () => {
  it('counts in memory meanwhile, then uses the cluster once it answers', async () => {
    // The only root node is a port where nothing listens yet; later, a proxy to a real node.
    const port = await freePort();
    const accountSid = freshAccount();
    const notices: Array<Record<string, unknown>> = [];
    const store = createRedisStore({
      url: `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}?cluster=1`,
      accountSid,
      keyPrefix,
      log: (line) => notices.push(line),
    });
    stores.push(store);
    const options = parseGuardOptions({ accountSID: accountSid });
    const guard = createGuard(options, { store, log: () => undefined });

    expect(await store.ready()).toBe(false);
    expect(await guard.check({ to: '+14155550001' })).toEqual({ allowed: true });
    expect(notices).toEqual([expect.objectContaining({ event: 'sms_guard_redis_fallback', fallback: 'memory' })]);
    expect(JSON.stringify(notices)).not.toMatch(/p@ss|p%40ss/);
    // Nothing to read yet: status() says so rather than showing empty counters.
    await expect(store.status()).rejects.toThrow(/^Could not reach redis:\/\/127\.0\.0\.1:\d+ \(cluster\)/);

    const target = nodes()[0]!.port;
    const proxy = createServer((socket) => {
      const upstream = createConnection(target, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => {
      proxy.listen(port, '127.0.0.1', resolve);
    });
    try {
      // The store connects on its own, in the background: status() answers from the cluster.
      let status;
      for (let attempt = 0; attempt < 200 && !status; attempt += 1) {
        status = await store.status().catch(() => undefined);
        if (!status) {
          await new Promise((resolve) => {
            setTimeout(resolve, 50);
          });
        }
      }
      expect(status).toMatchObject({ sendsThisHour: 0 });

      // Decisions now count on the cluster (the memory fallback never writes there).
      for (const to of ['+14155550002', '+14155550003']) {
        expect(await guard.check({ to })).toEqual({ allowed: true });
      }
      expect((await store.status()).sendsThisHour).toBe(2);
      const slot = await slotOf(accountSid);
      expect((await keysInSlotByNode(slot))[await masterOf(slot)]).toBeGreaterThan(0);
      await store.reset();
    } finally {
      await store.close();
      await new Promise((resolve) => {
        proxy.close(resolve);
      });
    }
  });
});
