/**
 * HTTP Basic authentication for the Twilio routes: Account SID + auth token, or an API key SID +
 * secret of the account. The path's Account SID must be the authenticated account's; anything else
 * is 401 / 20003 with `WWW-Authenticate: Basic realm="Twilio API"`.
 *
 * @doc https://www.twilio.com/docs/usage/requests-to-twilio
 * @module
 */
import type { SandboxContext } from '../context.js';
import type { SandboxRequest } from '../http/router.js';
import type { SandboxAccount } from './accounts.js';
import { twilioErrors } from './errors.js';

export function requireAccount(request: SandboxRequest, context: SandboxContext): SandboxAccount {
  const account = context.accounts.authenticate(request.headers.authorization);
  if (!account || account.accountSid !== request.params.accountSid) {
    throw twilioErrors.authenticate();
  }
  return account;
}
