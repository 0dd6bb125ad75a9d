/**
 * Verification codes the tools make up, as Logto's are: 6 digits. The CLI and the sandbox's web
 * console render previews with {@link sampleCode} and send {@link randomCode}.
 *
 * @module
 */
import { randomInt } from 'node:crypto';

/** The code previews render with: printed and shown, so never one that is sent. */
export const sampleCode = '123456';

/** A 6-digit code from a CSPRNG, as Logto generates them. */
export const randomCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');
