/**
 * `smsdesk sandbox`: runs the local Twilio-compatible sandbox until Ctrl-C, printing its inbox
 * and API URLs, the account to use, a connector config to paste into Logto, and one line per
 * request. The dev account's auth token is the one credential the CLI prints: the sandbox made it
 * up, for this machine only. Tokens from the environment or an accounts file are never printed.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { sandboxConnectorConfig, sandboxRecipient } from '@smsdesk/connector-twilio-sms';
import {
  type Sandbox,
  type SandboxAccount,
  type SandboxAccountInput,
  type SandboxLogger,
  type SandboxOptions,
  AccountConfigError,
  DatabaseFileError,
  FaultRuleError,
  normalizeAllowedHost,
  parseFaultRule,
  startSandbox,
} from '@smsdesk/sandbox';

import { CliError, UsageError, commonOptions, exitCodes, flagOrEnv, integerFlag, parseCommandArgs, parseHost } from '../args.js';
import { ConfigSourceError, accountSecrets, environmentSecrets, parseAccountsJson } from '../config-source.js';
import type { Command, Context } from '../context.js';
import type { Output } from '../output.js';

export const defaultPort = 4010;
export const defaultHost = '127.0.0.1';

export type SandboxArgs = {
  port: number;
  host: string;
  /** Extra Host names the /api/ routes answer (`--allow-host`). */
  allowedHosts: string[];
  db?: string;
  accounts?: string;
  faults: NonNullable<SandboxOptions['faults']>;
  statusDelayMs?: number;
  verbose: boolean;
  help: boolean;
  json: boolean;
};

const sandboxHelp = `Usage: smsdesk sandbox [--port 4010] [--host 127.0.0.1] [--allow-host <name>]… [--db <path>] [--accounts <file>] [--fault <json>]… [--status-delay <ms>]

Runs a local server that speaks Twilio's Messages API, stores every message in SQLite and shows
them in a live web inbox. Prints the inbox URL, the API base URL, the account to use and a
connector config to paste into Logto (baseUrl set to the sandbox), then one line per request.
Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.

Without --accounts or TWILIO_ACCOUNT_SID in the environment, the sandbox generates a dev account
(kept in its database) and prints its Auth Token: a local, throwaway credential. Tokens from the
environment or an accounts file are never printed.

Options:
  --port <port>         Port to listen on (default ${defaultPort}; 0 picks a free one)   [TWILIO_SANDBOX_PORT]
  --host <host>         Interface to bind (default ${defaultHost})                   [TWILIO_SANDBOX_HOST]
  --allow-host <name>   Another Host name the inbox and /api/ answer, repeatable, e.g. a name
                        you reach the sandbox by through Docker or a proxy; ".example.test"
                        allows a domain and its subdomains. Loopback, the bound address and
                        this machine's addresses are always allowed; any other Host gets 403
                        (DNS rebinding protection).                [TWILIO_SANDBOX_ALLOWED_HOSTS]
  --db <path>           SQLite file, or :memory: (default: the sandbox's data directory,
                        ~/.local/share/twilio-sms-sandbox/sandbox.db on Linux); refused at start
                        if it cannot be written, is damaged or is from a newer version  [TWILIO_SANDBOX_DB]
  --accounts <file>     JSON array of { accountSid, authToken, apiKeys?: [{ sid, secret }] }
                                                                              [TWILIO_SANDBOX_ACCOUNTS]
  --fault <json>        A fault rule for message creates, repeatable, e.g.
                        '{"count":2,"status":429,"retryAfter":1}' or '{"count":1,"status":400,"code":21612}'.
                        "delayMs" delays the answer; "afterStore":true with a 5xx status stores the
                        message first, then answers the error (Twilio's 5xx after commit: a client
                        that retries blindly sends twice), e.g. '{"count":1,"status":500,"afterStore":true}'
  --status-delay <ms>   Delay of each status step, queued → sent → delivered (default 300)
                                                                              [TWILIO_SANDBOX_STATUS_DELAY_MS]
  -h, --help            This help

Flags win over their TWILIO_SANDBOX_* environment twins. Magic numbers: To +15005550002 → 21612,
+15005550003 → 21408, +15005550004 → 21610, +15005550009 → 21614, +15005550001 → 21211.

Exit codes: 0 stopped cleanly, 1 could not start (port in use, unreadable file, unusable --db), 2 usage error.`;

const sandboxOptions = {
  ...commonOptions,
  port: { type: 'string' },
  host: { type: 'string' },
  'allow-host': { type: 'string', multiple: true },
  db: { type: 'string' },
  accounts: { type: 'string' },
  fault: { type: 'string', multiple: true },
  'status-delay': { type: 'string' },
} as const;

/** `--port` (or TWILIO_SANDBOX_PORT): 0–65535. */
export function parsePort(command: string, value: { value: string; name?: string } | undefined, fallback: number) {
  if (!value) {
    return fallback;
  }
  try {
    return integerFlag(command, 'port', value.value, 0, 65_535);
  } catch (error) {
    if (value.name && error instanceof UsageError) {
      throw new UsageError(`${value.name} must be a port number from 0 to 65535`, command);
    }
    throw error;
  }
}

function parseFaults(values: string[] | undefined): SandboxArgs['faults'] {
  const faults: SandboxArgs['faults'] = [];
  for (const text of values ?? []) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new UsageError(`--fault must be JSON, such as '{"count":1,"status":429}'`, 'sandbox');
    }
    const rules = Array.isArray(parsed) ? parsed : [parsed];
    for (const rule of rules) {
      try {
        faults.push(parseFaultRule(rule));
      } catch (error) {
        if (error instanceof FaultRuleError) {
          throw new UsageError(`Invalid --fault rule: ${error.message}`, 'sandbox');
        }
        throw error;
      }
    }
  }
  return faults;
}

/** `--allow-host` (repeatable), else TWILIO_SANDBOX_ALLOWED_HOSTS (comma- or space-separated). */
function parseAllowedHosts(values: string[] | undefined, env: Record<string, string | undefined>): string[] {
  const fromEnv = values === undefined && env.TWILIO_SANDBOX_ALLOWED_HOSTS?.trim();
  const entries = values ?? (fromEnv ? fromEnv.split(/[\s,]+/).filter(Boolean) : []);
  return entries.map((entry) => {
    try {
      return normalizeAllowedHost(entry);
    } catch {
      const name = fromEnv ? 'TWILIO_SANDBOX_ALLOWED_HOSTS' : '--allow-host';
      throw new UsageError(
        `${name}: ${JSON.stringify(entry)} is not a host name or IP address (no scheme or port; ".example.test" allows a domain and its subdomains)`,
        'sandbox'
      );
    }
  });
}

/**
 * Parses `sandbox` flags; their TWILIO_SANDBOX_* twins fill what the flags leave out.
 */
export function parseSandboxArgs(argv: string[], env: Record<string, string | undefined> = {}): SandboxArgs {
  const { values, positionals } = parseCommandArgs('sandbox', argv, sandboxOptions);
  const help = Boolean(values.help);
  if (positionals.length > 0 && !help) {
    throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[0])}: sandbox takes only options`, 'sandbox');
  }
  const delay = flagOrEnv(values['status-delay'], env, 'TWILIO_SANDBOX_STATUS_DELAY_MS');
  let statusDelayMs: number | undefined;
  if (delay) {
    try {
      statusDelayMs = integerFlag('sandbox', 'status-delay', delay.value, 0, 600_000);
    } catch (error) {
      throw delay.name ? new UsageError(`${delay.name} must be a whole number of ms from 0 to 600000`, 'sandbox') : error;
    }
  }
  const host = parseHost('sandbox', flagOrEnv(values.host, env, 'TWILIO_SANDBOX_HOST'), defaultHost);
  return {
    help,
    json: false,
    verbose: false,
    port: parsePort('sandbox', flagOrEnv(values.port, env, 'TWILIO_SANDBOX_PORT'), defaultPort),
    host,
    allowedHosts: parseAllowedHosts(values['allow-host'], env),
    db: flagOrEnv(values.db, env, 'TWILIO_SANDBOX_DB')?.value,
    accounts: flagOrEnv(values.accounts, env, 'TWILIO_SANDBOX_ACCOUNTS')?.value,
    faults: parseFaults(values.fault),
    statusDelayMs,
  };
}

/** Accounts from a file, read here so a JSON mistake is reported by line and column, never quoted. */
async function readAccounts(file: string, cwd: string): Promise<SandboxAccountInput[]> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT' ? `Accounts file not found: ${file}` : `Cannot read accounts file ${file}${code ? ` (${code})` : ''}`
    );
  }
  return parseAccountsJson(text, file) as SandboxAccountInput[];
}

/** The sandbox's request and event lines, through the output (so redaction applies). */
function sandboxLogger(out: Output): SandboxLogger {
  return {
    info: (message) => out.print(message),
    warn: (message) => out.error(out.errorStyle.yellow(`warning: ${message}`)),
    error: (message) => out.error(out.errorStyle.red(`error: ${message}`)),
    request: ({ method, path: requestPath, status }) => {
      const colour = status >= 500 ? out.style.red : status >= 400 ? out.style.yellow : out.style.green;
      out.print(`${out.style.dim(new Date().toISOString().slice(11, 19))} ${method} ${requestPath} ${colour(String(status))}`);
    },
  };
}

/** Why the sandbox could not start, in one line. */
function startFailure(error: unknown, host: string, port: number): Error {
  if (error instanceof CliError || error instanceof ConfigSourceError) {
    return error;
  }
  if (error instanceof AccountConfigError) {
    return new CliError(error.message);
  }
  // Before the port is even tried: an EACCES here is about the file, never the port.
  if (error instanceof DatabaseFileError) {
    return new CliError(error.problem === 'unwritable' ? `${error.message}: choose another path with --db` : error.message);
  }
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EADDRINUSE':
      return new CliError(`Port ${port} on ${host} is in use: pick another with --port, or --port 0 for any free port`);
    case 'EACCES':
      return new CliError(`No permission to listen on ${host}:${port}: use a port above 1023`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new CliError(`Cannot listen on host ${host}: not an address of this machine`);
    default:
      return new CliError(`Could not start the sandbox: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export type LaunchOptions = {
  port: number;
  host: string;
  allowedHosts?: string[];
  db?: string;
  accounts?: string;
  faults?: SandboxArgs['faults'];
  statusDelayMs?: number;
  /** Try the next ports when the port is taken (for `start`). */
  nextFreePort?: boolean;
};

/** Where the sandbox's accounts came from: what may be printed depends on it. */
type AccountOrigin = 'dev' | 'environment' | 'file';

export type LaunchedSandbox = {
  sandbox: Sandbox;
  /** The account to show and to send with: the dev account, else the first configured one. */
  account: SandboxAccount;
  origin: AccountOrigin;
};

/**
 * Starts the sandbox with the CLI's logger, registering every configured secret with the output
 * first. With `nextFreePort`, a taken port moves on to the next (up to 20 tries).
 */
export async function launchSandbox(options: LaunchOptions, out: Output, context: Context): Promise<LaunchedSandbox> {
  const fileAccounts = options.accounts ? await readAccounts(options.accounts, context.cwd) : [];
  out.addSecrets(...environmentSecrets(context.env), ...fileAccounts.flatMap((account) => accountSecrets(account)));

  const attempts = options.nextFreePort && options.port !== 0 ? 20 : 1;
  let sandbox: Sandbox | undefined;
  for (let attempt = 0; attempt < attempts && !sandbox; attempt += 1) {
    const port = options.port + attempt;
    try {
      // eslint-disable-next-line no-await-in-loop -- one port at a time: the first that binds wins
      sandbox = await startSandbox({
        port,
        host: options.host,
        ...(options.allowedHosts?.length ? { allowedHosts: options.allowedHosts } : {}),
        ...(options.db === undefined ? {} : { db: options.db }),
        accounts: fileAccounts,
        env: context.env,
        ...(options.faults?.length ? { faults: options.faults } : {}),
        ...(options.statusDelayMs === undefined ? {} : { statusDelayMs: options.statusDelayMs }),
        logger: sandboxLogger(out),
      });
    } catch (error) {
      const retry = (error as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt + 1 < attempts;
      if (!retry) {
        throw startFailure(error, options.host, port);
      }
    }
  }

  const launched = sandbox!;
  const origin: AccountOrigin = launched.devAccount ? 'dev' : fileAccounts.length > 0 ? 'file' : 'environment';
  const account = launched.devAccount ?? launched.accounts[0]!;
  // Only the dev account's auth token is printed; its API key is not (the token is all a config needs).
  out.addSecrets(
    ...[...launched.accounts, launched.devAccount].flatMap((configured) =>
      accountSecrets(configured, { withToken: configured?.accountSid !== launched.devAccount?.accountSid })
    )
  );
  return { sandbox: launched, account, origin };
}

/** The connector config for Logto that sends to the sandbox; the token only for the dev account. */
export const configForLogto = ({ sandbox, account, origin }: LaunchedSandbox, withToken = origin === 'dev') =>
  sandboxConnectorConfig({
    url: sandbox.url,
    accountSid: account.accountSid,
    ...(withToken && { authToken: account.authToken }),
  });

const originNote: Record<AccountOrigin, string> = {
  dev: 'local dev account generated by the sandbox: throwaway, for this machine only',
  environment: 'from TWILIO_ACCOUNT_SID; its token is not printed',
  file: 'from the accounts file; its token is not printed',
};

/** The banner both `sandbox` and `start` print. */
export function printSandboxInfo(out: Output, launched: LaunchedSandbox) {
  const { bold, dim, cyan } = out.style;
  const { sandbox, account, origin } = launched;
  const rows: Array<[string, string]> = [
    ['Inbox', cyan(`${sandbox.url}/`)],
    ['API base URL', sandbox.url],
    ['Database', sandbox.dbPath],
    ['Account SID', `${account.accountSid}  ${dim(`(${originNote[origin]})`)}`],
    ['Auth Token', origin === 'dev' ? account.authToken : dim('(not printed: use the token you configured)')],
  ];
  for (const [label, value] of rows) {
    out.print(`  ${dim(label.padEnd(12))} ${value}`);
  }
  if (sandbox.accounts.length > 1) {
    out.print(
      `  ${dim('Also accepts'.padEnd(12))} ${sandbox.accounts
        .slice(1)
        .map(({ accountSid }) => accountSid)
        .join(', ')}`
    );
  }
  out.print();
  out.print(
    bold('Connector config for Logto') + dim(' (paste into the Twilio SMS connector’s JSON; baseUrl points at the sandbox):')
  );
  if (origin !== 'dev') {
    out.print(dim('  add "authToken" (or set TWILIO_AUTH_TOKEN for smsdesk send): it is not printed here'));
  }
  out.print(JSON.stringify(configForLogto(launched), undefined, 2));
}

/** The `sandbox` handler: runs until SIGINT/SIGTERM, then closes the server and the database. */
async function sandboxHandler(args: SandboxArgs, out: Output, context: Context): Promise<number> {
  const launched = await launchSandbox(args, out, context);
  const { sandbox } = launched;
  // Listen for Ctrl-C before printing "running": a test (or a person) may stop us right after.
  const stopped = context.waitForStop();
  out.print(out.style.bold(`Twilio SMS sandbox is running on ${sandbox.url}`));
  printSandboxInfo(out, launched);
  out.print();
  out.print(out.style.dim(`Test it: smsdesk send <config.json> --to ${sandboxRecipient} --sandbox ${sandbox.url}`));
  if (args.faults.length > 0) {
    out.print(out.style.yellow(`${args.faults.length} fault rule(s) active for message creates`));
  }
  out.print(out.style.dim('Press Ctrl-C to stop.'));

  const signal = await stopped;
  out.print(`${signal}: stopping the sandbox…`);
  await sandbox.close();
  out.print('Stopped.');
  return exitCodes.ok;
}

export const sandboxCommand: Command<SandboxArgs> = {
  name: 'sandbox',
  summary: 'Run the local Twilio-compatible sandbox with a web inbox',
  help: sandboxHelp,
  parse: parseSandboxArgs,
  handler: sandboxHandler,
};
