/**
 * The verification code of a body: the one rule behind `/api/messages/latest`'s `code`, the inbox's
 * highlight and its Copy button. Tables of real-world shapes, then the connector's own templates.
 */
import { defaultTemplates, renderTemplate } from '@smsdesk/connector-twilio-sms';

import { detectCode } from '../src/api/verification-code.js';

/** The detected value, after checking that the index points at it. */
function codeOf(body: string): string | null {
  const detected = detectCode(body);
  if (detected) {
    expect(body.slice(detected.index, detected.index + detected.value.length)).toBe(detected.value);
  }
  return detected?.value ?? null;
}

describe('detectCode', () => {
  test.each([
    // The examples: the number the message calls a code, not the first one.
    ['Order 123456, code 654321', '654321'],
    ['© 2025 Acme. Your code: 482913', '482913'],
    ['Your code is 482913. Reference 1482913.', '482913'],
    ['Invoice #123456: your code is 654321', '654321'],
    ['Your code is 482913, order 123456', '482913'],
    ['482913 is your code, order 123456', '482913'],
    ['G-482913 is your Google verification code.', '482913'],
    ['Your Logto sign-in verification code is 482913. The code will remain active for 10 minutes.', '482913'],
    ['Your verification code is 4821 and expires in 2025-01-31 at 10:30.', '4821'],
    ['Use code 1999 at checkout', '1999'],
    ['PIN: 2025', '2025'],
    ['Your one-time password is 73920481', '73920481'],
    ['Your OTP for the payment of $1,250.00 is 639201', '639201'],
    ['Your code is 123456789012', '123456789012'],
    ['Acme: 482913', '482913'],
    ['Use 482913 to sign in. It expires in 10 minutes.', '482913'],
    ['Your code:\n482913', '482913'],
  ])('%j → %j', (body, expected) => {
    expect(codeOf(body)).toBe(expected);
  });

  test.each([
    ['the code is 482913 in the body', 'Your code is 482913. Reference 1482913.', 13],
    ['the labelled number, not the first', 'Order 123456, code 654321', 19],
    ['after a surrogate pair (UTF-16 index)', '🔐 code 482913', 8],
  ])('the index points at %s', (_name, body, index) => {
    expect(detectCode(body)?.index).toBe(index);
  });

  test.each([
    // Languages: the word for "code" (or verification) next to the number, before or after it.
    ['es', 'Tu código de verificación de Logto es 482913. Caduca en 10 minutos.', '482913'],
    ['pt-BR', 'Seu código de acesso: 482913', '482913'],
    ['pt', '482913 é o seu código de verificação', '482913'],
    ['fr', 'Votre code de vérification : 482913', '482913'],
    ['de', 'Dein Bestätigungscode lautet 664201.', '664201'],
    ['de-amount', 'Ihre Zahlung von 1250 EUR: Ihr Code lautet 664201', '664201'],
    ['it', 'Il tuo codice di verifica è 482913', '482913'],
    ['nl', 'Je verificatiecode is 482913', '482913'],
    ['pl', 'Twój kod weryfikacyjny to 482913', '482913'],
    ['cs', 'Váš ověřovací kód je 482913', '482913'],
    ['sv', 'Din engångskod är 482913', '482913'],
    ['da', 'Din kode er 482913', '482913'],
    ['fi', 'Vahvistuskoodisi on 482913', '482913'],
    ['tr', 'Doğrulama kodunuz 482913', '482913'],
    ['ro', 'Codul tău de verificare este 482913', '482913'],
    ['ru', 'Ваш код подтверждения: 482913', '482913'],
    ['uk', 'Ваш код: 482913. Не повідомляйте його нікому.', '482913'],
    ['el', 'Ο κωδικός σας είναι 482913', '482913'],
    ['vi', 'Mã xác thực của bạn là 482913', '482913'],
    ['id', 'Kode verifikasi Anda adalah 482913', '482913'],
    ['zh-CN', '您的验证码是 739105，10 分钟内有效。', '739105'],
    ['zh-CN glued', '【Acme】验证码123456，请勿泄露。客服电话 4008001234', '123456'],
    ['zh-CN after', '123456是您的验证码，订单号 20250101', '123456'],
    ['zh-TW', '您的驗證碼為：482913', '482913'],
    ['ja', '認証コードは482913です。', '482913'],
    ['ja after', '482913 がワンタイムパスワードです', '482913'],
    ['ko', '[Web발신] 인증번호는 482913입니다.', '482913'],
    ['ko brackets', '인증번호 [482913]을 입력해주세요', '482913'],
    ['ar', 'رمز التحقق الخاص بك هو 482913', '482913'],
    ['he', 'קוד האימות שלך הוא 482913', '482913'],
    ['hi', 'आपका OTP 482913 है', '482913'],
    ['th', 'รหัส OTP ของคุณคือ 482913', '482913'],
  ])('%s: %j → %j', (_locale, body, expected) => {
    expect(codeOf(body)).toBe(expected);
  });

  test.each([
    // Alphanumeric codes (a template may carry one: `smsdesk send --code AB12CD`): capitals and
    // digits with at least one of each, only where the message calls it a code.
    ['Your code is A7K9P2', 'A7K9P2'],
    ['Votre code : 7KQ2XZ', '7KQ2XZ'],
    ['验证码：AB12CD', 'AB12CD'],
  ])('alphanumeric: %j → %j', (body, expected) => {
    expect(codeOf(body)).toBe(expected);
  });

  test.each([
    // No confident answer: null, and the inbox highlights nothing.
    ['no digits here'],
    ['Your code is ready'],
    ['Your code is valid for 10min'],
    ['A7K9P2 without any label'],
    ['Order 123456 shipped, invoice 654321'],
    ['Call +1 415 555 1234567890 now'],
    ['Call us at +1 (415) 555-0123'],
    ['Call us at +44 7911 123456 today'],
    ['Call 415 555 0123 for help'],
    ['Call (415) 555-0123 for help'],
    ['© 2025 Acme Inc.'],
    ['See you in 1999 and 2025'],
    ['Your balance is $1234'],
    ['You paid 1234 EUR'],
    ['You paid €1234'],
    ['You paid 1234€'],
    ['Total: 1,234.56'],
    ['Amount 1234.50 charged'],
    ['Rate up 1234%'],
    ['Order #123456 has shipped'],
    ['Meeting on 2025-01-31 at 12:30'],
    ['Delivered 31.12.2024'],
    ['Card ending 1234-5678-9012-3456'],
    ['Tracking 12345678901234'],
    ['Message SID SM0123456789abcdef0123456789abcdef'],
    ['Reference ABC12345 with no label'],
    ['code 1111, code 2222'],
    // "tan" is Spanish for "so", not a label: two unlabelled numbers.
    ['Es tan fácil: 4821 o 7390'],
    ['Your code expires in 10 minutes. Order 123456 is ready. Ref 654321.'],
    [''],
  ])('null: %j', (body) => {
    expect(codeOf(body)).toBeNull();
  });

  test('finds the code of every default template of the connector', () => {
    expect(defaultTemplates.length).toBeGreaterThan(0);
    for (const [index, template] of defaultTemplates.entries()) {
      const code = String(100000 + index * 111_111).slice(0, 6);
      const body = renderTemplate(template.content, { code });
      expect({ usageType: template.usageType, code: codeOf(body) }).toEqual({ usageType: template.usageType, code });
    }
  });

  test('finds the code of the README templates in other languages, with a leading zero', () => {
    for (const content of [
      'Votre code de connexion : {{code}}',
      'Seu código de acesso: {{code}}',
      'Votre code de vérification : {{code}}',
      'Your 2-step verification code is {{code}}.',
      '验证码 {{code}}',
    ]) {
      expect(codeOf(renderTemplate(content, { code: '012345' }))).toBe('012345');
    }
  });

  test('finds no code in a long run of digits or of labels alone', () => {
    const body = `${'a'.repeat(1600)} ${'1'.repeat(1600)} ${'code '.repeat(300)}`;
    expect(detectCode(body)).toBeNull();
  });
});
