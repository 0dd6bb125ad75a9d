import { checkSender, isValidSender, senderDescription } from '../src/index.js';

describe('checkSender: the one sender rule of the connector, the sandbox and the CLI', () => {
  it.each([
    ['+15005550006', 'phoneNumber'],
    ['+447700900123', 'phoneNumber'],
    ['123', 'shortCode'],
    ['12345678', 'shortCode'],
    ['Logto', 'alphanumeric'],
    ['ACME-Bank', 'alphanumeric'],
    ['A+B_C&D', 'alphanumeric'],
    ['My Company', 'alphanumeric'],
    ['Logto 2FA', 'alphanumeric'],
    ['X', 'alphanumeric'],
    ['12345678901A', undefined],
    ['ABCDEFGHIJK', 'alphanumeric'],
    [`MG${'a'.repeat(32)}`, 'messagingService'],
    [`MG${'A'.repeat(32)}`, 'messagingService'],
  ])('%j: %s', (sender, kind) => {
    const check = checkSender(sender);
    expect(check).toEqual(kind ? { ok: true, kind } : expect.objectContaining({ ok: false }));
    expect(isValidSender(sender)).toBe(Boolean(kind));
  });

  it.each([
    '',
    '12',
    '123456789',
    '+0123',
    '+1234567890123456',
    'ABCDEFGHIJKL',
    '-_+&',
    'not valid!',
    'Café',
    'ＡＣＭＥ',
    'Logto\n',
    'Lo.gto',
    '+1 415 555 2671',
  ])('refuses %j, saying what a sender may be', (sender) => {
    expect(checkSender(sender)).toEqual({ ok: false, reason: `The sender must be ${senderDescription}` });
  });

  it.each([
    ['whatsapp:+15005550006', 'WhatsApp is not supported'],
    ['WHATSAPP:+15005550006', 'WhatsApp is not supported'],
    ['whatsapp:ACME', 'WhatsApp is not supported'],
    ['messenger:1234567890', 'The messenger channel is not supported'],
    ['rcs:acme_brand', 'The rcs channel is not supported'],
  ])('refuses the channel address %j: %s', (sender, start) => {
    const check = checkSender(sender);
    expect(check).toMatchObject({ ok: false, channel: sender.split(':')[0]!.toLowerCase() });
    expect(!check.ok && check.reason).toMatch(new RegExp(`^${start}, only SMS: use an SMS sender without the "[a-z]+:" prefix$`));
  });
});
