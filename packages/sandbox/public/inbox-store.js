// The inbox's state: every message it holds, grouped by recipient and kept in date order as events
// arrive (dates parsed once, binary-search inserts), and the view state the rendering reads.

export const state = {
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

/** Adds a message, or replaces it (a status change or a redaction); `live` marks it as just arrived. */
export function upsert(message, { live = false } = {}) {
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

/** Removes a message (deleted here or elsewhere). */
export function remove(sid) {
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

/** Forgets every message. */
export function clearMessages() {
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
export function conversations() {
  const query = state.query.trim().toLowerCase();
  const list = [];
  for (const [to, messages] of state.groups) {
    const shown = !query || to.toLowerCase().includes(query) ? messages : messages.filter((message) => matches(message, query));
    if (shown.length > 0) list.push({ to, messages, shown, last: messages.at(-1) });
  }
  return list.sort((a, b) => compareKeys(state.keys.get(b.last.sid), state.keys.get(a.last.sid)));
}
