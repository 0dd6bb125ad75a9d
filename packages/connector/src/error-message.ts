/**
 * What a ConnectorError says, for a caller that shows it: the CLI and the sandbox console.
 *
 * @module
 */
import type { ConnectorError } from '@logto/connector-kit';

import { isNonArrayObject } from './objects.js';

/**
 * The error's sentence (its data's `message`), else its code. Never connector-kit's `message`,
 * which is `ConnectorError: ` and the whole data as JSON.
 */
export const connectorErrorMessage = (error: ConnectorError): string =>
  isNonArrayObject(error.data) && typeof error.data.message === 'string' ? error.data.message : error.code;
