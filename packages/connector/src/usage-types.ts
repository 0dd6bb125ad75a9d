/**
 * The usage types Logto sends a code for: what `smsdesk send --type` knows and the sandbox console
 * offers.
 *
 * @module
 */
import { TemplateType } from '@logto/connector-kit';

/** connector-kit's TemplateType, in its order. */
export const logtoUsageTypes: readonly string[] = Object.values(TemplateType);
