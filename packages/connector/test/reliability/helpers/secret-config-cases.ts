/**
 * Invalid configs that hold secrets: the invalid_config error names the path, never the value.
 *
 * @module
 */
import {
  accountSID,
  apiKeySID,
  apiKeySecret,
  authToken,
  code,
  messagingServiceSID,
  templates,
  tokenCredentials,
} from './secrets.js';

const valid = { accountSID, authToken, fromMessagingServiceSID: messagingServiceSID, templates };

export const secretConfigCases: Array<{ name: string; config: unknown; path: string }> = [
  { name: 'token in the account SID', config: { ...valid, accountSID: authToken }, path: 'accountSID' },
  { name: 'API key secret in the account SID', config: { ...valid, accountSID: apiKeySecret }, path: 'accountSID' },
  { name: 'base64 credentials in the account SID', config: { ...valid, accountSID: tokenCredentials }, path: 'accountSID' },
  { name: 'valid token, invalid account SID', config: { ...valid, accountSID: 'AC123' }, path: 'accountSID' },
  { name: 'token over 256 characters', config: { ...valid, authToken: authToken.repeat(9) }, path: 'authToken' },
  {
    name: 'API key secret over 256 characters',
    config: { ...valid, apiKeySID, apiKeySecret: apiKeySecret.repeat(9) },
    path: 'apiKeySecret',
  },
  { name: 'API key secret without its SID', config: { ...valid, authToken: undefined, apiKeySecret }, path: 'apiKeySID' },
  { name: 'API key secret in the API key SID', config: { ...valid, apiKeySID: apiKeySecret, apiKeySecret }, path: 'apiKeySID' },
  {
    name: 'token in the Messaging Service SID',
    config: { ...valid, fromMessagingServiceSID: authToken },
    path: 'fromMessagingServiceSID',
  },
  { name: 'token in From', config: { ...valid, from: `+1${authToken}` }, path: 'from' },
  {
    name: 'credentials in the base URL',
    config: { ...valid, baseUrl: `https://${accountSID}:${authToken}@api.twilio.com` },
    path: 'baseUrl',
  },
  {
    name: 'credentials in a status callback that is not a URL',
    config: { ...valid, statusCallback: `htps//user:${apiKeySecret}@example.com/status` },
    path: 'statusCallback',
  },
  { name: 'token in the base URL, not a URL', config: { ...valid, baseUrl: `${authToken} ${code}` }, path: 'baseUrl' },
  { name: 'token in the region', config: { ...valid, region: authToken }, path: 'region' },
  { name: 'token in the edge', config: { ...valid, edge: `${authToken}!` }, path: 'edge' },
  { name: 'token as the validity period', config: { ...valid, validityPeriod: authToken }, path: 'validityPeriod' },
  {
    name: 'token as a template locale',
    config: { ...valid, templates: [...templates, { usageType: 'X', content: 'c', locale: authToken }] },
    path: 'templates[4].locale',
  },
  {
    name: 'code in a template content that is an array',
    config: { ...valid, templates: [...templates, { usageType: 'X', content: ['Code', code] }] },
    path: 'templates[4].content',
  },
  {
    name: 'token in a template that is not an object',
    config: { ...valid, templates: [...templates, authToken] },
    path: 'templates[4]',
  },
  { name: 'token as the templates', config: { ...valid, templates: authToken }, path: 'templates' },
];

/** Send input refused before any request, with a valid config: the error holds no secret either. */
export const sendInputsWithSecrets: Array<{ name: string; to: string; payload: { code: string } }> = [
  { name: 'invalid phone number', to: '+1415555CALL', payload: { code } },
  { name: 'body over 1,600 characters', to: '+14155552671', payload: { code: `${code}${'x'.repeat(2000)}` } },
];
