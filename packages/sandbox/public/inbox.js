// The sandbox's web inbox: conversations grouped by recipient, live over server-sent events.
// Bodies are untrusted: everything is built with createElement/textContent (see lib.js `h`).
import { initConsole } from './console.js';
import { api, copyText, dayKey, formatDay, formatFull, formatListTime, formatTime, h, hashHue, icon, plural } from './lib.js';

const statusLabels = {
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

const state = {
  /** sid -> InboxMessage */
  messages: new Map(),
  /** sid -> { time, order }: dateCreated parsed once, and arrival order to break ties. */
  keys: new Map(),
  /** to -> that conversation's messages, kept sorted oldest first (binary-search inserts). */
  groups: new Map(),
  sequence: 0,
  selected: null,
  query: '',
  /** Recipients that got a message while another conversation was open. */
  unread: new Set(),
  /** Messages that arrived live since the last render, for the arrival animation. */
  fresh: new Set(),
  copied: null,
  info: null,
  loaded: false,
  loadError: null,
};

const elements = {
  inbox: document.querySelector('#view-inbox'),
  conversations: document.querySelector('#conversations'),
  thread: document.querySelector('#thread'),
  search: document.querySelector('#search'),
  totals: document.querySelector('#totals'),
  clearAll: document.querySelector('#clear-all'),
  count: document.querySelector('#inbox-count'),
  live: document.querySelector('#live-status'),
  version: document.querySelector('#version'),
  dialog: document.querySelector('#confirm-dialog'),
  toast: document.querySelector('#toast'),
  announcer: document.querySelector('#announcer'),
  tabs: [...document.querySelectorAll('.tab')],
};

const wideLayout = window.matchMedia('(min-width: 761px)');

// ---------------------------------------------------------------------------------------------
// Store

function compareKeys(a, b) {
  return a.time - b.time || a.order - b.order;
}

/** Where a message with this key sits (or would sit) in a sorted conversation. */
function position(list, key) {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (compareKeys(state.keys.get(list[middle].sid), key) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function upsert(message, { live = false } = {}) {
  if (!message || typeof message.sid !== 'string') return;
  const previous = state.messages.get(message.sid);
  state.messages.set(message.sid, message);
  if (previous) {
    // A status change: same conversation, same place (dateCreated never changes).
    const list = state.groups.get(previous.to);
    const index = list ? position(list, state.keys.get(message.sid)) : -1;
    if (list && list[index]?.sid === message.sid) list[index] = message;
  } else {
    const parsed = Date.parse(message.dateCreated);
    const key = { time: Number.isNaN(parsed) ? 0 : parsed, order: ++state.sequence };
    state.keys.set(message.sid, key);
    let list = state.groups.get(message.to);
    if (!list) {
      list = [];
      state.groups.set(message.to, list);
    }
    list.splice(position(list, key), 0, message);
  }
  if (live) {
    state.fresh.add(message.sid);
    if (state.selected !== message.to) state.unread.add(message.to);
  }
}

function remove(sid) {
  const message = state.messages.get(sid);
  if (!message) return;
  const list = state.groups.get(message.to);
  if (list) {
    const index = position(list, state.keys.get(sid));
    if (list[index]?.sid === sid) list.splice(index, 1);
    if (list.length === 0) state.groups.delete(message.to);
  }
  state.messages.delete(sid);
  state.keys.delete(sid);
}

function clearMessages() {
  state.messages.clear();
  state.keys.clear();
  state.groups.clear();
}

function matches(message, query) {
  const haystack = [
    message.body,
    message.to,
    message.from,
    message.code,
    message.sid,
    message.messagingServiceSid,
    message.status,
  ]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
  return haystack.includes(query);
}

/** Conversations (one per `to`), newest first, each with its messages oldest first. */
function conversations() {
  const query = state.query.trim().toLowerCase();
  const list = [];
  for (const [to, messages] of state.groups) {
    const shown = !query || to.toLowerCase().includes(query) ? messages : messages.filter((message) => matches(message, query));
    if (shown.length > 0) list.push({ to, messages, shown, last: messages.at(-1) });
  }
  return list.sort((a, b) => compareKeys(state.keys.get(b.last.sid), state.keys.get(a.last.sid)));
}

// ---------------------------------------------------------------------------------------------
// Rendering

function avatar(to) {
  const digits = to.replace(/\D/g, '');
  return h('span', { class: `avatar avatar-${hashHue(to)}`, 'aria-hidden': 'true' }, digits.slice(-2) || '#');
}

/** One conversation in the list: avatar, number, time of its last message, a preview and a count. */
function conversationItem(group) {
  const { last } = group;
  const failed = last.status === 'failed' || last.status === 'undelivered';
  const unread = state.unread.has(group.to);
  const count = state.query ? group.shown.length : group.messages.length;
  const top = h(
    'span',
    { class: 'conversation-top' },
    h('span', { class: 'conversation-number' }, group.to),
    h(
      'time',
      { class: 'conversation-time', datetime: last.dateCreated, title: formatFull(last.dateCreated) },
      formatListTime(last.dateCreated)
    )
  );
  const bottom = h(
    'span',
    { class: 'conversation-bottom' },
    failed ? h('span', { class: 'conversation-failed', title: statusLabels[last.status] }, icon('alert', 'icon icon-sm')) : null,
    h('span', { class: 'conversation-preview' }, last.body || '(empty message)'),
    h(
      'span',
      { class: 'conversation-count', title: state.query ? plural(count, 'match', 'matches') : plural(count, 'message') },
      String(count)
    )
  );
  return h(
    'li',
    {},
    h(
      'button',
      {
        type: 'button',
        class: `conversation${unread ? ' is-unread' : ''}`,
        'aria-current': group.to === state.selected ? 'true' : undefined,
        dataset: { to: group.to, focus: `conversation ${group.to}` },
        onclick: () => select(group.to),
      },
      avatar(group.to),
      h('span', { class: 'conversation-main' }, top, bottom)
    )
  );
}

function renderConversations(list) {
  const items = list.map(conversationItem);
  if (items.length === 0) {
    const text = state.query ? `No messages match “${state.query.trim()}”.` : state.loaded ? 'No conversations yet.' : 'Loading…';
    items.push(h('li', { class: 'conversations-empty' }, text));
  }
  elements.conversations.replaceChildren(...items);

  const total = state.messages.size;
  elements.totals.textContent = total === 0 ? '' : `${plural(total, 'message')} · ${plural(state.groups.size, 'number')}`;
  elements.clearAll.disabled = total === 0;
  elements.count.textContent = String(total);
  elements.count.hidden = total === 0;
}

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

function codeBar(message) {
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
        onclick: (event) => copyCode(message, event.currentTarget),
      },
      icon(copied ? 'check' : 'copy', 'icon icon-sm'),
      h('span', { class: 'copy-label' }, copied ? 'Copied' : 'Copy')
    )
  );
}

function renderMessage(message) {
  const sender = message.messagingServiceSid ?? message.from ?? '';
  const segments = message.segments ?? message.numSegments;
  const bubble = h(
    'div',
    { class: 'bubble' },
    h('p', { class: 'body' }, ...bodyWithCode(message.body ?? '', message.code, message.codeIndex)),
    message.code ? codeBar(message) : null
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
          onclick: () => deleteMessage(message.sid),
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

/** The curl command that sends a first message to this sandbox, as the empty inbox shows it. */
function firstMessageCommand(origin, accountSid, messagingServiceSid) {
  const sender = messagingServiceSid ? `MessagingServiceSid=${messagingServiceSid}` : 'From=+15005550006';
  return [
    'curl -X POST \\',
    `  ${origin}/2010-04-01/Accounts/${accountSid}/Messages.json \\`,
    `  -u "${accountSid}:$TWILIO_AUTH_TOKEN" \\`,
    `  --data-urlencode "To=+14155550123" \\`,
    `  --data-urlencode "${sender}" \\`,
    `  --data-urlencode "Body=Your verification code is 123456"`,
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
function emptyState() {
  const info = state.info;
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
    commandSnippet(firstMessageCommand(origin, accountSid, info?.messagingServiceSid)),
    h(
      'dl',
      { class: 'facts' },
      h('div', {}, h('dt', {}, 'Account SID'), h('dd', {}, accountSid)),
      h('div', {}, h('dt', {}, 'API base URL'), h('dd', {}, origin))
    ),
    authTokenHint(info)
  );
}

/** The thread's header: back button, avatar, number, message count and senders. */
function threadHead(group) {
  const senders = [...new Set(group.messages.map((m) => m.messagingServiceSid ?? m.from).filter(Boolean))];
  return h(
    'header',
    { class: 'thread-head' },
    h(
      'button',
      {
        type: 'button',
        class: 'icon-btn thread-back',
        'aria-label': 'Back to conversations',
        dataset: { focus: 'back' },
        onclick: backToList,
      },
      icon('back')
    ),
    avatar(group.to),
    h(
      'div',
      { class: 'thread-title' },
      h('h2', { class: 'thread-number' }, group.to),
      h(
        'p',
        { class: 'thread-sub', title: senders.length ? `From ${senders.join(', ')}` : undefined },
        plural(group.messages.length, 'message'),
        senders.length ? ` · from ${senders.slice(0, 2).join(', ')}${senders.length > 2 ? ` +${senders.length - 2}` : ''}` : ''
      )
    )
  );
}

function renderThread(list) {
  const group = list.find((conversation) => conversation.to === state.selected);
  const scroller = elements.thread.querySelector('.thread-scroll');
  const previousTo = elements.thread.dataset.to;
  const nearBottom = !scroller || scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;

  if (!group) {
    elements.thread.dataset.to = '';
    if (state.messages.size === 0) {
      elements.thread.replaceChildren(
        state.loaded ? emptyState() : h('div', { class: 'thread-placeholder' }, state.loadError ?? 'Loading messages…')
      );
    } else {
      const text = state.query && list.length === 0 ? `No messages match “${state.query.trim()}”.` : 'Select a conversation.';
      elements.thread.replaceChildren(h('div', { class: 'thread-placeholder' }, icon('chat', 'icon icon-lg'), h('p', {}, text)));
    }
    return;
  }

  const rows = [];
  let lastDay = null;
  for (const message of group.shown) {
    const key = dayKey(message.dateCreated);
    if (key !== lastDay) {
      rows.push(h('li', { class: 'day', 'aria-hidden': 'true' }, h('span', {}, formatDay(message.dateCreated))));
      lastDay = key;
    }
    rows.push(renderMessage(message));
  }

  const filtered = group.shown.length !== group.messages.length;
  const head = threadHead(group);
  const banner = filtered
    ? h(
        'div',
        { class: 'thread-filter' },
        `Showing ${group.shown.length} of ${plural(group.messages.length, 'message')} matching “${state.query.trim()}”. `,
        h(
          'button',
          { type: 'button', class: 'link-btn', dataset: { focus: 'show-all' }, onclick: () => setQuery('') },
          'Show all'
        )
      )
    : null;
  const next = h('div', { class: 'thread-scroll' }, h('ol', { class: 'bubbles', 'aria-label': `Messages to ${group.to}` }, rows));
  elements.thread.replaceChildren(head, banner ?? '', next);
  elements.thread.dataset.to = group.to;

  if (previousTo !== group.to || nearBottom) next.scrollTop = next.scrollHeight;
  else if (scroller) next.scrollTop = scroller.scrollTop;
}

// Live updates rebuild the list and the thread. Controls carry `data-focus` ("<kind> <id>"), so the
// one that had keyboard focus is found again in the new markup instead of focus falling to the page.

function focusables(kind) {
  return [...document.querySelectorAll(`[data-focus="${kind}"], [data-focus^="${kind} "]`)].filter(
    (element) => element.getClientRects().length > 0
  );
}

/** Runs a rebuild and puts keyboard focus back on the same control (or the one now in its place). */
function keepingFocus(rebuild) {
  const focused = document.activeElement?.closest?.('[data-focus]');
  const key = focused?.dataset.focus;
  const kind = key?.split(' ')[0];
  const position = kind ? focusables(kind).indexOf(focused) : -1;
  rebuild();
  if (!key || (document.activeElement && document.activeElement !== document.body)) return;
  const peers = focusables(kind);
  // A deleted message's control hands focus to its neighbour's.
  const target = peers.find((element) => element.dataset.focus === key) ?? peers[Math.min(position, peers.length - 1)];
  target?.focus({ preventScroll: true });
}

let announceTimer;
/** Tells screen readers what arrived: the number, never the body or its code. */
function announceArrivals() {
  const arrived = [...state.fresh].map((sid) => state.messages.get(sid)).filter(Boolean);
  if (arrived.length === 0) return;
  const recipients = new Set(arrived.map((message) => message.to));
  const text =
    arrived.length === 1
      ? `New message to ${arrived[0].to}`
      : `${arrived.length} new messages${recipients.size === 1 ? ` to ${arrived[0].to}` : ''}`;
  // Emptied first, so the same sentence twice in a row is announced twice.
  elements.announcer.textContent = '';
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    elements.announcer.textContent = text;
  }, 100);
}

function render() {
  keepingFocus(renderAll);
}

function renderAll() {
  const list = conversations();
  // A conversation whose last message was deleted is gone; a search only hides it.
  if (state.selected && !state.groups.has(state.selected)) {
    state.selected = null;
  }
  // Side by side, the thread pane always shows a conversation of the (filtered) list.
  if (wideLayout.matches && list.length > 0 && !list.some((group) => group.to === state.selected)) {
    state.selected = list[0].to;
  }
  if (state.selected) state.unread.delete(state.selected);
  renderConversations(list);
  renderThread(list);
  announceArrivals();
  state.fresh.clear();
  document.body.dataset.messages = String(state.messages.size);
}

let frame = 0;
/** Coalesces bursts of events into one render per animation frame. */
function scheduleRender() {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    render();
  });
}

// ---------------------------------------------------------------------------------------------
// Actions

function showPane(pane) {
  elements.inbox.dataset.pane = pane;
}

function select(to) {
  state.selected = to;
  state.unread.delete(to);
  showPane('thread');
  render();
  // On a phone the list just hid the focused conversation: focus moves with the view.
  if (!wideLayout.matches) focusables('back')[0]?.focus();
}

function backToList() {
  showPane('list');
  focusables('conversation')
    .find((element) => element.dataset.to === state.selected)
    ?.focus();
}

function setQuery(query) {
  state.query = query;
  if (elements.search.value !== query) elements.search.value = query;
  render();
}

let copiedTimer;
async function copyCode(message, button) {
  const copied = await copyText(message.code);
  if (!copied) {
    toast('Could not access the clipboard.', 'error');
    return;
  }
  state.copied = message.sid;
  button.classList.add('is-copied');
  button.setAttribute('aria-label', 'Copied');
  button.replaceChildren(icon('check', 'icon icon-sm'), h('span', { class: 'copy-label' }, 'Copied'));
  clearTimeout(copiedTimer);
  copiedTimer = setTimeout(() => {
    state.copied = null;
    scheduleRender();
  }, 2000);
}

function flashButton(button, text) {
  const original = button.textContent;
  button.textContent = text;
  setTimeout(() => {
    button.textContent = original;
  }, 1500);
}

async function deleteMessage(sid) {
  const message = state.messages.get(sid);
  remove(sid);
  render();
  try {
    await api(`/api/messages/${encodeURIComponent(sid)}`, { method: 'DELETE' });
    toast('Message deleted.');
  } catch (error) {
    if (error.status !== 404 && message) {
      upsert(message);
      render();
      toast(`Could not delete the message: ${error.message}`, 'error');
    }
  }
}

function confirmClear() {
  const dialog = elements.dialog;
  dialog.returnValue = '';
  dialog.showModal();
  dialog.addEventListener(
    'close',
    async () => {
      if (dialog.returnValue !== 'confirm') return;
      try {
        await api('/api/messages', { method: 'DELETE' });
        clearMessages();
        state.unread.clear();
        state.selected = null;
        render();
        toast('All messages cleared.');
      } catch (error) {
        toast(`Could not clear messages: ${error.message}`, 'error');
      }
    },
    { once: true }
  );
}

let toastTimer;
function toast(text, tone = 'info') {
  elements.toast.textContent = text;
  elements.toast.dataset.tone = tone;
  elements.toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    elements.toast.hidden = true;
  }, 2600);
}

// ---------------------------------------------------------------------------------------------
// Data: initial snapshot + server-sent events

let loading = false;
let queued = [];

async function load() {
  loading = true;
  queued = [];
  try {
    const { messages } = await api('/api/messages?limit=1000');
    clearMessages();
    // The API lists newest first; number them oldest first so ties keep arrival order.
    for (const message of [...messages].reverse()) upsert(message);
    state.loaded = true;
    state.loadError = null;
  } catch (error) {
    state.loadError = `Could not load messages: ${error.message}`;
  } finally {
    loading = false;
    // Events that raced the snapshot are replayed on top of it.
    for (const [type, data] of queued) applyEvent(type, data);
    queued = [];
    render();
  }
}

function applyEvent(type, data) {
  if (loading) {
    queued.push([type, data]);
    return;
  }
  if (type === 'message') upsert(data, { live: true });
  else if (type === 'status') upsert(data);
  else if (type === 'deleted') remove(data.sid);
  else if (type === 'cleared') {
    clearMessages();
    state.unread.clear();
  }
  scheduleRender();
}

function setLive(stateName, label) {
  elements.live.dataset.state = stateName;
  elements.live.querySelector('.live-label').textContent = label;
}

function connect() {
  const source = new EventSource('/api/events');
  let dropped = false;
  source.addEventListener('open', () => {
    setLive('open', 'Live');
    // After a drop, events may have been missed: resync from a fresh snapshot.
    if (dropped) void load();
    dropped = false;
  });
  source.addEventListener('error', () => {
    dropped = true;
    setLive('reconnecting', 'Reconnecting…');
  });
  for (const type of ['message', 'status', 'deleted', 'cleared']) {
    source.addEventListener(type, (event) => {
      try {
        applyEvent(type, JSON.parse(event.data || '{}'));
      } catch {
        // A malformed event is ignored; the next resync fixes the view.
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Views (tabs) and boot

function showView(view) {
  for (const tab of elements.tabs) {
    const active = tab.dataset.view === view;
    tab.setAttribute('aria-selected', String(active));
    tab.tabIndex = active ? 0 : -1;
    document.querySelector(`#${tab.getAttribute('aria-controls')}`).hidden = !active;
  }
  document.body.dataset.view = view;
  if (view === 'console') consoleView.activate();
}

function viewFromHash() {
  return window.location.hash.startsWith('#/console') ? 'console' : 'inbox';
}

const consoleView = initConsole({
  onViewMessage(to) {
    window.location.hash = '#/inbox';
    setQuery('');
    select(to);
  },
  onInfo(info) {
    state.info = info;
    if (state.messages.size === 0) scheduleRender();
  },
});

for (const tab of elements.tabs) {
  tab.addEventListener('click', () => {
    window.location.hash = `#/${tab.dataset.view}`;
  });
  tab.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const next =
      elements.tabs[
        (elements.tabs.indexOf(tab) + (event.key === 'ArrowRight' ? 1 : elements.tabs.length - 1)) % elements.tabs.length
      ];
    next.focus();
    next.click();
  });
}
window.addEventListener('hashchange', () => showView(viewFromHash()));

elements.search.addEventListener('input', () => setQuery(elements.search.value));
elements.search.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') setQuery('');
});
document.addEventListener('keydown', (event) => {
  const target = event.target;
  const typing =
    target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
  if (event.key === '/' && !typing && document.body.dataset.view === 'inbox') {
    event.preventDefault();
    elements.search.focus();
  }
});
elements.clearAll.addEventListener('click', confirmClear);
wideLayout.addEventListener('change', () => render());
setInterval(() => {
  if (state.messages.size > 0) keepingFocus(() => renderConversations(conversations()));
}, 30_000);

api('/api/health')
  .then((health) => {
    if (health?.version) elements.version.textContent = `v${health.version}`;
  })
  .catch(() => {});

showView(viewFromHash());
render();
connect();
void load();
