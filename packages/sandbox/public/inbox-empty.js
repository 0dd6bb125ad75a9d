// The empty inbox: how to send a first message to this sandbox (a curl command to copy), with the
// account to use and where its auth token comes from.
import { copyText, h, icon } from './lib.js';

/** The curl command that sends a first message to this sandbox, as the empty inbox shows it. */
// Until the server's example arrives (or if it cannot), the numbers and the code are shell variables to fill in.
function firstMessageCommand(origin, accountSid, { sender = '$FROM', recipient = '$TO', sampleCode = '$CODE' } = {}) {
  return [
    'curl -X POST \\',
    `  ${origin}/2010-04-01/Accounts/${accountSid}/Messages.json \\`,
    `  -u "${accountSid}:$TWILIO_AUTH_TOKEN" \\`,
    `  --data-urlencode "To=${recipient}" \\`,
    `  --data-urlencode "From=${sender}" \\`,
    `  --data-urlencode "Body=Your verification code is ${sampleCode}"`,
  ].join('\n');
}

/** The curl command in a box with a Copy button. */
function commandSnippet(command) {
  const copy = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-quiet btn-small',
      dataset: { focus: 'copy-command' },
      onclick: async (event) => {
        const button = event.currentTarget;
        if (await copyText(command)) flashButton(button, 'Copied');
      },
    },
    'Copy'
  );
  return h(
    'div',
    { class: 'snippet' },
    h('div', { class: 'snippet-head' }, h('span', {}, icon('terminal', 'icon icon-sm'), 'Send a first message'), copy),
    h('pre', { class: 'snippet-code' }, h('code', {}, command))
  );
}

/** Where the auth token for the command comes from: the dev account's (printed and prefilled) or the user's own. */
function authTokenHint(info) {
  const consoleLink = h('a', { href: '#/console' }, 'Console');
  return h(
    'p',
    { class: 'empty-hint' },
    info?.authTokenIncluded
      ? [
          'Set TWILIO_AUTH_TOKEN to the dev account’s auth token: the sandbox prints it at start-up, and the ',
          consoleLink,
          ' has it prefilled, ready to send a code through the real connector.',
        ]
      : ['Use the auth token of the account you configured. The ', consoleLink, ' sends a code through the real connector.']
  );
}

/** The empty inbox: how to send a first message to this sandbox, with the account to use. */
export function emptyState(info) {
  const origin = window.location.origin;
  const accountSid = info?.accountSid ?? 'ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';
  return h(
    'div',
    { class: 'empty' },
    h('div', { class: 'empty-art', 'aria-hidden': 'true' }, icon('chat', 'icon icon-xl')),
    h('h2', { class: 'empty-title' }, 'No messages yet'),
    h(
      'p',
      { class: 'empty-text' },
      'Point your app — or Logto’s Twilio SMS connector — at this sandbox. Every message it sends lands here, live, grouped by phone number.'
    ),
    commandSnippet(firstMessageCommand(origin, accountSid, info ?? undefined)),
    h(
      'dl',
      { class: 'facts' },
      h('div', {}, h('dt', {}, 'Account SID'), h('dd', {}, accountSid)),
      h('div', {}, h('dt', {}, 'API base URL'), h('dd', {}, origin))
    ),
    authTokenHint(info)
  );
}

/** Shows `text` on a button for a moment. */
function flashButton(button, text) {
  const original = button.textContent;
  button.textContent = text;
  setTimeout(() => {
    button.textContent = original;
  }, 1500);
}
