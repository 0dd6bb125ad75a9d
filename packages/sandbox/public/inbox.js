// The sandbox's web inbox: conversations grouped by recipient, live over server-sent events. This
// module renders the list and the thread and wires the page; the messages it holds are in
// inbox-store.js, the feed that fills them in inbox-live.js, a thread's message in
// inbox-thread-message.js, the empty inbox in inbox-empty.js, the console view in console.js.
// Bodies are untrusted: everything is built with createElement/textContent (see lib.js `h`).
import { initConsole } from './console.js';
import { emptyState } from './inbox-empty.js';
import { createLiveFeed } from './inbox-live.js';
import { clearMessages, conversations, remove, state, upsert } from './inbox-store.js';
import { renderMessage, statusLabels } from './inbox-thread-message.js';
import { api, copyText, dayKey, formatDay, formatFull, formatListTime, h, hashHue, icon, plural } from './lib.js';

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
        state.loaded ? emptyState(state.info) : h('div', { class: 'thread-placeholder' }, state.loadError ?? 'Loading messages…')
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
    rows.push(renderMessage(message, { onCopy: copyCode, onDelete: deleteMessage }));
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

function setLive(stateName, label) {
  elements.live.dataset.state = stateName;
  elements.live.querySelector('.live-label').textContent = label;
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

const feed = createLiveFeed({ render, scheduleRender, setLive });
showView(viewFromHash());
render();
feed.connect();
void feed.load();
