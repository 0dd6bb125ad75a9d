/**
 * Which keys of a stored config are read: a blank optional field counts as unset, and the keys
 * that the form's choices (authentication, sender) leave out are neither validated nor used.
 *
 * @module
 */
import { authTypes, type senderTypes } from './constant.js';
import { isNonArrayObject } from './objects.js';
import { configFields, configObjectGuard, templateGuard } from './types.js';

/** Every key the connector reads. */
export const configKeys = Object.keys(configFields) as Array<keyof typeof configFields>;
/** Every key a template holds. */
export const templateKeys = Object.keys(templateGuard.shape) as Array<keyof typeof templateGuard.shape>;
let optionalKeys: Set<string> | undefined;
// On first use: isOptional() runs a zod parse per key, about 1.5 ms of a cold zod when it ran at import (measured).
const isOptionalKey = (key: string) =>
  (optionalKeys ??= new Set<string>(configKeys.filter((configKey) => configObjectGuard().shape[configKey].isOptional()))).has(
    key
  );

// A blank, null or empty optional field is an unset one, however it was saved (Logto's form sends
// an empty MultiSelect as [] and an empty Json item as {}; its JSON editor, the Management API).
// Only for the keys that hold a list or an object: elsewhere {} or [] is a wrong type, and said so.
const emptyMeansUnset = new Set(['allowedCountries', 'blockedCountries', 'guard']);
const isBlank = (key: string, value: unknown) =>
  value === null ||
  (typeof value === 'string' && !value.trim()) ||
  (emptyMeansUnset.has(key) &&
    ((Array.isArray(value) && value.length === 0) || (isNonArrayObject(value) && Object.keys(value).length === 0)));

/** Whether a field counts as unset: absent, or blank as above (null, blank text; an empty list or object where that means unset). */
export const isUnset = (key: string, value: unknown) => value === undefined || isBlank(key, value);

/** The input without its blank optional fields. */
export const withoutBlankOptionals = (input: unknown) =>
  isNonArrayObject(input)
    ? Object.fromEntries(Object.entries(input).filter(([key, value]) => !(isOptionalKey(key) && isBlank(key, value))))
    : input;

// The keys a choice leaves out of use. Logto keeps a hidden field's value (the form still holds it,
// and a save merges the stored config), so after a switch from a Messaging Service to a From
// number the stored service SID is still there: it is neither validated nor sent.
const unusedByChoice: Record<string, Record<string, readonly string[]>> = {
  authType: { authToken: ['apiKeySID', 'apiKeySecret'], apiKey: ['authToken'] } satisfies Record<
    (typeof authTypes)[number],
    readonly string[]
  >,
  senderType: { messagingService: ['from'], from: ['fromMessagingServiceSID'] } satisfies Record<
    (typeof senderTypes)[number],
    readonly string[]
  >,
};

/** The choice (`authType`, `senderType`) and its value that leave `key` out of use, if any. */
export function choiceLeavingOut(input: Record<string, unknown>, key: string): [choice: string, value: string] | undefined {
  for (const [choice, unused] of Object.entries(unusedByChoice)) {
    const value = input[choice];
    if (typeof value === 'string' && Object.hasOwn(unused, value) && unused[value]!.includes(key)) {
      return [choice, value];
    }
  }
  return undefined;
}

/** The input without the keys its choices leave out of use. */
export const withoutUnusedKeys = (input: unknown) => {
  if (!isNonArrayObject(input)) {
    return input;
  }
  const unused = new Set(
    Object.entries(unusedByChoice).flatMap(([key, choices]) => {
      const choice = input[key];
      return typeof choice === 'string' && Object.hasOwn(choices, choice) ? choices[choice]! : [];
    })
  );
  return unused.size > 0 ? Object.fromEntries(Object.entries(input).filter(([key]) => !unused.has(key))) : input;
};

/**
 * The authentication a stored config uses: its `authType`; else (a config saved before the choice
 * existed) the API key when both its parts are set, as the client prefers it, else the auth token
 * when set, else the API key when one of its parts is (the other is then missing), else none.
 */
export function authenticationOf(input: Record<string, unknown>): (typeof authTypes)[number] | undefined {
  const { authType } = input;
  const chosen = authTypes.find((type) => type === authType);
  if (chosen) {
    return chosen;
  }
  const isSet = (key: string) => !isUnset(key, input[key]);
  if (isSet('apiKeySID') && isSet('apiKeySecret')) {
    return 'apiKey';
  }
  if (isSet('authToken')) {
    return 'authToken';
  }
  return isSet('apiKeySID') || isSet('apiKeySecret') ? 'apiKey' : undefined;
}
