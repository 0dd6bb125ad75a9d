/**
 * The sandbox's injectable logger. Nothing it is given ever holds an Authorization header, auth
 * token, API secret or message body: request lines carry the method, the path without its query
 * string, the status and the duration; callback lines carry the callback URL without its userinfo
 * and query, and a failure by its error code.
 *
 * @module
 */

export type RequestLogEntry = {
  method: string;
  /** Path only; the query string is never logged. */
  path: string;
  status: number;
  ms: number;
};

export type SandboxLogger = {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** One call per finished request; leave it out to skip request logging (and its timing). */
  request?(entry: RequestLogEntry): void;
};

/** Logs nothing: the default, so tests stay quiet. */
export const silentLogger: SandboxLogger = {
  info() {},
  warn() {},
  error() {},
};

/** One line per request and event on stdout/stderr, for the CLI. */
export function createConsoleLogger(
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  writeError: (line: string) => void = (line) => process.stderr.write(`${line}\n`)
): SandboxLogger {
  return {
    info: (message) => write(message),
    warn: (message) => writeError(`warning: ${message}`),
    error: (message) => writeError(`error: ${message}`),
    request: ({ method, path, status, ms }) => write(`${method} ${path} ${status} ${ms.toFixed(1)}ms`),
  };
}

/** A URL safe to log: scheme, host and path; userinfo dropped and the query string (either may hold secrets) redacted. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const query = parsed.search ? '?[redacted]' : '';
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}${query}`;
  } catch {
    return '[invalid url]';
  }
}
