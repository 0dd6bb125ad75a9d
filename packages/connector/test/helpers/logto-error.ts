/**
 * What Logto shows for a ConnectorError: a port of the message logic of Logto's
 * packages/core/src/middleware/koa-connector-error-handler.ts with RequestError's i18n, and the
 * English phrases of packages/phrases/src/locales/en/errors/connector.ts for the codes a
 * connector can throw (both as in logto-io/logto at 1fbc5544).
 *
 * @module
 */
import { type ConnectorError, ConnectorErrorCodes } from '@logto/connector-kit';
import { z } from 'zod';

/** Logto's `errors:connector.*` phrases (en), for every ConnectorErrorCodes value. */
const logtoConnectorPhrases: Record<ConnectorErrorCodes, string> = {
  [ConnectorErrorCodes.General]: 'Error occurred in connector: {{errorDescription}}',
  [ConnectorErrorCodes.InvalidMetadata]: "The connector's metadata is invalid.",
  [ConnectorErrorCodes.UnexpectedType]: "The connector's type is unexpected.",
  [ConnectorErrorCodes.InvalidConfigGuard]: "The connector's config guard is invalid.",
  [ConnectorErrorCodes.InvalidRequestParameters]: 'The request is with wrong input parameter(s).',
  [ConnectorErrorCodes.InsufficientRequestParameters]: 'The request might miss some input parameters.',
  [ConnectorErrorCodes.InvalidConfig]: "The connector's config is invalid.",
  [ConnectorErrorCodes.InvalidCertificate]:
    "The connector's certificate is invalid, please make sure the certificate is in PEM encoding.",
  [ConnectorErrorCodes.InvalidResponse]: "The connector's response is invalid.",
  [ConnectorErrorCodes.TemplateNotFound]: 'Unable to find correct template in connector config.',
  [ConnectorErrorCodes.TemplateNotSupported]: 'The connector does not support this template type.',
  [ConnectorErrorCodes.RateLimitExceeded]: 'Trigger rate limit. Please try again later.',
  [ConnectorErrorCodes.UsageLimitExceeded]: 'The email service usage limit has been reached.',
  [ConnectorErrorCodes.NotImplemented]: '{{method}}: has not been implemented yet.',
  [ConnectorErrorCodes.SocialAuthCodeInvalid]: 'Unable to get access token, please check authorization code.',
  [ConnectorErrorCodes.SocialAccessTokenInvalid]: "The connector's access token is invalid.",
  [ConnectorErrorCodes.SocialIdTokenInvalid]: "The connector's id token is invalid.",
  [ConnectorErrorCodes.AuthorizationFailed]: "The user's authorization process is unsuccessful.",
};

export type LogtoErrorResponse = { status: number; code: string; message: string; data: unknown };

const badRequest = new Set<string>([
  ConnectorErrorCodes.InvalidMetadata,
  ConnectorErrorCodes.InvalidConfigGuard,
  ConnectorErrorCodes.InvalidRequestParameters,
  ConnectorErrorCodes.InsufficientRequestParameters,
  ConnectorErrorCodes.InvalidConfig,
  ConnectorErrorCodes.InvalidCertificate,
  ConnectorErrorCodes.InvalidResponse,
  ConnectorErrorCodes.TemplateNotFound,
]);
const unauthorized = new Set<string>([
  ConnectorErrorCodes.SocialAuthCodeInvalid,
  ConnectorErrorCodes.SocialAccessTokenInvalid,
  ConnectorErrorCodes.SocialIdTokenInvalid,
  ConnectorErrorCodes.AuthorizationFailed,
]);

/** i18next's `{{name}}` interpolation with escapeValue: false; a missing value stays as written. */
const interpolate = (phrase: string, values: Record<string, unknown>) =>
  phrase.replaceAll(/{{\s*(\w+)\s*}}/g, (placeholder, name: string) =>
    values[name] === undefined ? placeholder : String(values[name])
  );

/** The response Logto sends for `error`: its HTTP status, code, the `message` people read, and `data`. */
export function renderLogtoError(error: ConnectorError): LogtoErrorResponse {
  const { code, data } = error;
  const description = z.object({ errorDescription: z.string() }).safeParse(data);
  const message = description.success ? description.data.errorDescription : JSON.stringify(data);

  const [status, interpolation]: [number, Record<string, unknown>] = badRequest.has(code)
    ? [400, {}]
    : unauthorized.has(code)
      ? [401, {}]
      : code === ConnectorErrorCodes.NotImplemented
        ? [501, {}]
        : code === ConnectorErrorCodes.RateLimitExceeded || code === ConnectorErrorCodes.UsageLimitExceeded
          ? [429, {}]
          : [400, { errorDescription: message }];

  return {
    status,
    code: `connector.${code}`,
    message: interpolate(logtoConnectorPhrases[code] ?? `connector.${code}`, interpolation),
    data,
  };
}
