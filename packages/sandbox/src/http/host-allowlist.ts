/**
 * Which `Host` names the unauthenticated `/api/` routes answer, wherever the sandbox is bound: a
 * page on another site that rebinds its DNS name to the sandbox's address (DNS rebinding) sends its
 * own name as Host, so only names that cannot be rebound are accepted:
 *
 * - loopback: `localhost`, `*.localhost`, 127.0.0.0/8, `::1`;
 * - the address the sandbox is bound to;
 * - the machine's own interface addresses (re-read when a Host misses, so a new DHCP lease works);
 * - names given with `allowedHosts` (`--allow-host`): an exact name or address, or `.example.test`
 *   for that domain and every name under it.
 *
 * @module
 */
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/** Lowercase, without IPv6 brackets or a trailing dot. */
function normalizeName(name: string): string {
  let value = name.trim().toLowerCase();
  if (value.startsWith('[') && value.endsWith(']')) {
    value = value.slice(1, -1);
  }
  return value.endsWith('.') ? value.slice(0, -1) : value;
}

const hostnamePattern =
  /^\.?(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/**
 * An `allowedHosts` entry, normalized; throws a RangeError naming the entry when it is not a host
 * name, an IP address or a `.domain` suffix (a URL, a port or a wildcard is refused, not guessed at).
 */
export function normalizeAllowedHost(entry: unknown): string {
  if (typeof entry !== 'string') {
    throw new RangeError('allowedHosts: every entry must be a string');
  }
  const name = normalizeName(entry);
  if (isIP(name) !== 0 || hostnamePattern.test(name)) {
    return name;
  }
  throw new RangeError(
    `allowedHosts: ${JSON.stringify(entry)} is not a host name or IP address (no scheme, port or wildcard; ".example.test" allows a domain and its subdomains)`
  );
}

/** The host name of a `Host` header (port and IPv6 brackets removed), or undefined when malformed. */
function hostnameOf(header: string | undefined): string | undefined {
  if (!header) {
    return undefined;
  }
  const value = header.trim().toLowerCase();
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/.exec(value);
  return match ? normalizeName(match[1]!) : undefined;
}

function isLoopback(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) {
    return true;
  }
  const family = isIP(name);
  if (family === 4) {
    return name.startsWith('127.');
  }
  return family === 6 && (name === '::1' || /^(?:0{0,4}:){1,7}:?0{0,3}1$/.test(name) || name.startsWith('::ffff:127.'));
}

function interfaceAddresses(): Set<string> {
  const addresses = new Set<string>();
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      // Link-local IPv6 addresses carry a zone (`fe80::1%eth0`), which a Host never does.
      addresses.add(normalizeName(entry.address.split('%', 1)[0]!));
    }
  }
  return addresses;
}

export class HostAllowlist {
  readonly #names = new Set<string>();
  readonly #suffixes: string[] = [];
  #interfaces = interfaceAddresses();

  /**
   * @param bound The host the server was asked to bind and the address it listens on.
   * @param allowedHosts Entries already checked with {@link normalizeAllowedHost}.
   */
  constructor(bound: readonly string[], allowedHosts: readonly string[] = []) {
    for (const name of bound) {
      this.#names.add(normalizeName(name));
    }
    for (const entry of allowedHosts) {
      if (entry.startsWith('.')) {
        this.#suffixes.push(entry);
        this.#names.add(entry.slice(1));
      } else {
        this.#names.add(entry);
      }
    }
  }

  /** True when a request with this `Host` header may use the /api/ routes. */
  allows(hostHeader: string | undefined): boolean {
    const name = hostnameOf(hostHeader);
    if (name === undefined) {
      return false;
    }
    if (isLoopback(name) || this.#names.has(name) || this.#suffixes.some((suffix) => name.endsWith(suffix))) {
      return true;
    }
    if (isIP(name) === 0) {
      return false;
    }
    if (!this.#interfaces.has(name)) {
      this.#interfaces = interfaceAddresses();
    }
    return this.#interfaces.has(name);
  }
}
