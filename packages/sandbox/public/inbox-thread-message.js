// A message as the inbox's thread shows it. The body is untrusted: it is only ever text.
import { state } from './inbox-store.js';
import { formatFull, formatTime, h, icon, plural } from './lib.js';

/** How each Twilio status reads in the inbox. */
export const statusLabels = {
  queued: 'Queued',
  accepted: 'Accepted',
  scheduled: 'Scheduled',
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  undelivered: 'Undelivered',
  partially_delivered: 'Partially delivered',
  failed: 'Failed',
  canceled: 'Canceled',
  read: 'Read',
  receiving: 'Receiving',
  received: 'Received',
};

/**
 * The body as text nodes, the detected code wrapped in <mark> where the server found it
 * (`codeIndex`): the inbox never detects a code itself, so it never marks a copy inside a longer number.
 */
function bodyWithCode(body, code, codeIndex) {
  if (!code || !Number.isInteger(codeIndex) || body.slice(codeIndex, codeIndex + code.length) !== code) return [body];
  const parts = [body.slice(0, codeIndex), h('mark', { class: 'code' }, code), body.slice(codeIndex + code.length)];
  return parts.filter((part) => part !== '');
}

function statusBadge(message) {
  const label = statusLabels[message.status] ?? message.status;
  const failed = message.status === 'failed' || message.status === 'undelivered';
  const badge = h(
    'span',
    { class: `badge badge-${failed ? 'error' : message.status}`, dataset: { status: message.status } },
    label
  );
  if (message.errorCode !== null && message.errorCode !== undefined) {
    const description = message.errorMessage;
    badge.append(
      ' · ',
      h(
        'a',
        {
          class: 'badge-code',
          href: `https://www.twilio.com/docs/api/errors/${encodeURIComponent(String(message.errorCode))}`,
          target: '_blank',
          rel: 'noreferrer noopener',
          title: description ? `${message.errorCode}: ${description}` : `Twilio error ${message.errorCode}`,
        },
        String(message.errorCode)
      )
    );
  }
  return badge;
}

function codeBar(message, onCopy) {
  const copied = state.copied === message.sid;
  return h(
    'div',
    { class: 'code-bar' },
    h('span', { class: 'code-bar-label' }, 'Code'),
    h('span', { class: 'code-bar-value' }, message.code),
    h(
      'button',
      {
        type: 'button',
        class: `copy-code${copied ? ' is-copied' : ''}`,
        'aria-label': copied ? 'Copied' : `Copy code ${message.code}`,
        dataset: { focus: `copy ${message.sid}` },
        onclick: (event) => onCopy(message, event.currentTarget),
      },
      icon(copied ? 'check' : 'copy', 'icon icon-sm'),
      h('span', { class: 'copy-label' }, copied ? 'Copied' : 'Copy')
    )
  );
}

/**
 * One message of a thread: its bubble (the code marked, with a Copy button), a Delete button, and
 * its time, status, error meaning, encoding and sender.
 *
 * @param {{ onCopy(message: object, button: HTMLElement): void, onDelete(sid: string): void }} actions
 */
export function renderMessage(message, { onCopy, onDelete }) {
  const sender = message.messagingServiceSid ?? message.from ?? '';
  const segments = message.segments ?? message.numSegments;
  const bubble = h(
    'div',
    { class: 'bubble' },
    h('p', { class: 'body' }, ...bodyWithCode(message.body ?? '', message.code, message.codeIndex)),
    message.code ? codeBar(message, onCopy) : null
  );
  const item = h(
    'li',
    {
      class: `message${state.fresh.has(message.sid) ? ' is-new' : ''}`,
      dataset: { sid: message.sid, status: message.status },
    },
    h(
      'div',
      { class: 'bubble-row' },
      bubble,
      h(
        'button',
        {
          type: 'button',
          class: 'icon-btn delete-message',
          'aria-label': 'Delete message',
          title: 'Delete message',
          dataset: { focus: `delete ${message.sid}` },
          onclick: () => onDelete(message.sid),
        },
        icon('trash')
      )
    ),
    h(
      'div',
      { class: 'message-meta' },
      h('time', { datetime: message.dateCreated, title: formatFull(message.dateCreated) }, formatTime(message.dateCreated)),
      statusBadge(message),
      message.errorMessage ? h('span', { class: 'meta-error' }, message.errorMessage) : null,
      h(
        'span',
        { class: 'meta-chip', title: `${message.encoding} encoding, ${plural(Number(segments) || 0, 'segment')}` },
        `${message.encoding} · ${plural(Number(segments) || 0, 'segment')}`
      ),
      sender ? h('span', { class: 'meta-from', title: `Sent by ${sender}` }, `from ${sender}`) : null
    )
  );
  return item;
}
