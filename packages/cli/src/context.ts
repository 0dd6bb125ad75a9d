/**
 * What a command handler may use besides its parsed args and its {@link Output}: the process's
 * stdin, environment and working directory, and a way to wait for Ctrl-C. Tests pass their own.
 *
 * @module
 */
import type { Output, TextSink } from './output.js';

export type Context = {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Resolves with the signal's name on SIGINT or SIGTERM (long-running commands wait on it). */
  waitForStop: () => Promise<string>;
};

/** A context plus the two output streams: what {@link run} needs. */
export type Io = Context & { stdout: TextSink; stderr: TextSink };

/** A command as the dispatcher sees it. */
export type Command<Args = unknown> = {
  name: string;
  /** One line for the tool's help. */
  summary: string;
  /** `smsdesk <name> --help`. */
  help: string;
  /** Turns argv (after the command name) into typed args; `env` for flags' environment twins. Throws UsageError. */
  parse: (
    argv: string[],
    env: Record<string, string | undefined>
  ) => Args & { help?: boolean; json?: boolean; verbose?: boolean };
  handler: (args: Args, out: Output, context: Context) => Promise<number>;
};
