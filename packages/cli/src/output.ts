/**
 * Everything the CLI prints goes through an {@link Output}: human text or one JSON object, colour
 * (node:util styleText) and a spinner only on a terminal, and a last line of defence that replaces
 * every registered secret (credentials and their base64 form) before a byte is written.
 *
 * @module
 */
import { styleText } from 'node:util';

import { createRedactor } from '@smsdesk/connector-twilio-sms';

/** Where text goes: process.stdout in the binary, a buffer in tests. */
export type TextSink = {
  write(chunk: string): unknown;
  isTTY?: boolean;
  /** A terminal's own answer (tty.WriteStream): FORCE_COLOR, NO_COLOR, TERM, colour depth. */
  hasColors?(env?: object): boolean;
};

export type OutputOptions = {
  /** One JSON object on stdout instead of human text. */
  json?: boolean;
  /** Request details on stderr (never secrets). */
  verbose?: boolean;
  env?: Record<string, string | undefined>;
};

type Paint = (text: string) => string;
type Format = Parameters<typeof styleText>[0];

const plain: Paint = (text) => text;

// The decision is ours (the sink and the env passed in, not process.stdout's), so styleText is
// told not to check a stream itself.
const painter =
  (on: boolean) =>
  (format: Format): Paint =>
    on ? (text) => styleText(format, text, { validateStream: false }) : plain;

/**
 * Colour only on a terminal: not with a non-empty NO_COLOR (https://no-color.org) or a dumb
 * terminal, and, for a real terminal, only when its `hasColors()` agrees.
 */
const wantsColor = (sink: TextSink, env: Record<string, string | undefined>) =>
  Boolean(sink.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb' && (sink.hasColors?.(env) ?? true);

const spinnerFrames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class Output {
  readonly json: boolean;
  readonly verbose: boolean;
  /** Whether stdout gets colour and a spinner: a terminal, NO_COLOR unset, not --json. */
  readonly color: boolean;
  /** Colours for stdout text: identity functions unless stdout is a terminal. */
  readonly style: Record<'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan', Paint>;
  /** Colours for stderr text. */
  readonly errorStyle: Record<'bold' | 'red' | 'yellow' | 'dim', Paint>;
  readonly #secrets = new Set<string>();
  #redact = createRedactor([]);

  constructor(
    readonly stdout: TextSink,
    readonly stderr: TextSink,
    { json = false, verbose = false, env = {} }: OutputOptions = {}
  ) {
    this.json = json;
    this.verbose = verbose;
    const color = !json && wantsColor(stdout, env);
    this.color = color;
    const paint = painter(color);
    const errorPaint = painter(wantsColor(stderr, env));
    this.style = {
      bold: paint('bold'),
      dim: paint('dim'),
      red: paint('red'),
      green: paint('green'),
      yellow: paint('yellow'),
      cyan: paint('cyan'),
    };
    this.errorStyle = {
      bold: errorPaint('bold'),
      red: errorPaint('red'),
      yellow: errorPaint('yellow'),
      dim: errorPaint('dim'),
    };
  }

  /** Registers values that must never be printed. Values shorter than 3 characters are ignored (see createRedactor). */
  addSecrets(...values: Array<string | undefined>) {
    for (const value of values) {
      if (value) {
        this.#secrets.add(value);
      }
    }
    this.#redact = createRedactor(this.#secrets);
  }

  /** The text with every registered secret replaced, longest first (a token inside its base64 form). */
  redact(text: string): string {
    return this.#redact(text);
  }

  /** A line on stdout. */
  print(text = '') {
    this.stdout.write(`${this.redact(text)}\n`);
  }

  /** A line on stderr. */
  error(text: string) {
    this.stderr.write(`${this.redact(text)}\n`);
  }

  /** A line on stderr with --verbose, prefixed so it reads as a trace. */
  debug(text: string) {
    if (this.verbose) {
      this.stderr.write(`${this.errorStyle.dim(this.redact(`· ${text}`))}\n`);
    }
  }

  /** The one JSON object of a --json run. */
  result(value: unknown) {
    this.stdout.write(`${this.redact(JSON.stringify(value, undefined, 2))}\n`);
  }

  /**
   * A spinner on stdout while something slow runs, on a terminal with colour only (never in JSON
   * mode, a pipe, with NO_COLOR or on a dumb terminal). `stop()` clears its line.
   */
  spinner(text: string): { stop(): void } {
    if (!this.color) {
      return { stop() {} };
    }
    let frame = 0;
    const draw = () => {
      this.stdout.write(`\r${this.style.cyan(spinnerFrames[frame % spinnerFrames.length]!)} ${this.redact(text)}`);
      frame += 1;
    };
    draw();
    const timer = setInterval(draw, 80);
    timer.unref();
    return {
      stop: () => {
        clearInterval(timer);
        this.stdout.write('\r\u001B[2K');
      },
    };
  }
}
