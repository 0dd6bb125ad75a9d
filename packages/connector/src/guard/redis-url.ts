/**
 * Logto's REDIS_URL forms, read exactly as Logto core reads them (packages/core/src/caches/index.ts):
 * `true`/`1`/`yes` for the client's default (redis://localhost:6379), `redis://` and `rediss://`
 * URLs with `?cert=&key=&certroot=&reject_unauthorized=`, and its cluster form
 * `redis://user:pass@host1:6379?cluster=1&host=host2:6379`. Turned into options for the `redis`
 * v4 client Logto ships, plus a description without credentials for logs and the CLI.
 *
 * @module
 */
import { readFileSync } from 'node:fs';

/** @silverhand/essentials' `yes`, which Logto uses for these flags. */
const yes = (value: string | null | undefined) =>
  typeof value === 'string' && ['1', 'true', 'y', 'yes', 'yep', 'yeah'].includes(value.toLowerCase());

// new URL() percent-encodes credentials; Redis AUTH needs them as typed (Logto's safeDecode).
const safeDecode = (value: string) =>
  value.replaceAll(/(?:%[\dA-Fa-f]{2})+/g, (sequence) => {
    try {
      return decodeURIComponent(sequence);
    } catch {
      return sequence;
    }
  });

export type RedisConnection =
  | { cluster: false; url: string | undefined; socket: Record<string, unknown>; shown: string }
  | {
      cluster: true;
      rootNodes: Array<{ url: string }>;
      defaults: { socket: Record<string, unknown>; username?: string; password?: string };
      shown: string;
    };

/** The URL for people: scheme, hosts and path, never the credentials or query. */
export function describeRedisUrl(value: string): string {
  if (yes(value)) {
    return 'redis://localhost:6379';
  }
  try {
    const url = new URL(value);
    const hosts = [url.host, ...url.searchParams.getAll('host')].filter(Boolean);
    const cluster = yes(url.searchParams.get('cluster')) ? ' (cluster)' : '';
    return `${url.protocol}//${hosts.join(',')}${url.pathname === '/' ? '' : url.pathname}${cluster}`;
  } catch {
    return 'an unreadable Redis URL';
  }
}

const socketOptions = (url: URL | undefined) => {
  const file = (name: string) => {
    const path = url?.searchParams.get(name);
    return path ? readFileSync(path).toString() : undefined;
  };
  return {
    // As Logto: certificate checks only when reject_unauthorized says so.
    rejectUnauthorized: yes(url?.searchParams.get('reject_unauthorized')),
    tls: url?.protocol === 'rediss:',
    cert: file('cert'),
    key: file('key'),
    ca: file('certroot'),
  };
};

/**
 * The client options for a REDIS_URL value.
 *
 * @throws Error when a certificate file it names cannot be read.
 */
export function parseRedisUrl(value: string): RedisConnection {
  const text = value.trim();
  const shown = describeRedisUrl(text);
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url && yes(url.searchParams.get('cluster'))) {
    const hosts = [...(url.host ? [url.host] : []), ...url.searchParams.getAll('host')];
    return {
      cluster: true,
      rootNodes: hosts.map((host) => ({ url: `redis://${host}` })),
      defaults: {
        socket: socketOptions(url),
        ...(url.username && { username: safeDecode(url.username) }),
        ...(url.password && { password: safeDecode(url.password) }),
      },
      shown,
    };
  }
  return { cluster: false, url: yes(text) ? undefined : text, socket: socketOptions(url), shown };
}
