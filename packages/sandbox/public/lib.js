// Shared helpers for the inbox and the console: DOM building (text only, never HTML strings),
// JSON API calls, formatting. Message bodies are untrusted, so nothing here takes markup.

const svgNamespace = 'http://www.w3.org/2000/svg';

/**
 * Creates an element. Children that are strings become text nodes, so data is never parsed as
 * HTML. `attrs` keys: `class`, `text`, `dataset`, `on<event>`, anything else is an attribute.
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key === 'text') element.textContent = String(value);
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2), value);
    } else element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
}

const iconPaths = {
  search: ['M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14Z', 'm20 20-4.2-4.2'],
  trash: ['M4 7h16', 'M10 11v6', 'M14 11v6', 'M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12', 'M9 7V4h6v3'],
  copy: ['M9 9h10v10H9z', 'M5 15V5h10'],
  check: ['m5 12 5 5 9-10'],
  back: ['M15 5l-7 7 7 7'],
  send: ['M4 12 20 4l-6 16-3-7-7-1Z', 'm11 13 9-9'],
  alert: ['M12 8v5', 'M12 16.5v.01', 'M10.3 3.9 2.4 18a2 2 0 0 0 1.7 3h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0Z'],
  info: ['M12 11v6', 'M12 7.5v.01', 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18Z'],
  chat: ['M4 5h16v11H9l-5 4V5Z', 'M8 9h8', 'M8 12h5'],
  phone: ['M8 3h8a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H8a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1Z', 'M11 18h2'],
  terminal: ['M4 5h16v14H4z', 'm7 9 3 3-3 3', 'M12 15h5'],
  arrow: ['M5 12h14', 'm13 6 6 6-6 6'],
};

/** An inline SVG icon drawn with `currentColor`, hidden from assistive technology. */
export function icon(name, className = 'icon') {
  const svg = document.createElementNS(svgNamespace, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', className);
  for (const d of iconPaths[name] ?? []) {
    const path = document.createElementNS(svgNamespace, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

/** Error thrown by {@link api} for a non-2xx answer; keeps the parsed JSON body. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? body?.Error ?? `Request failed with status code ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }
}

/** Calls a sandbox JSON route. Resolves to the parsed body (or null for 204). */
export async function api(path, { method = 'GET', body, signal } = {}) {
  const response = await fetch(path, {
    method,
    signal,
    headers:
      body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = response.status === 204 ? '' : await response.text();
  let parsed = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { error: { message: text.slice(0, 200) } };
    }
  }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

/** Copies text, falling back to a hidden textarea where the async clipboard is unavailable. */
export async function copyText(text) {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Denied permission or an insecure origin: try the legacy path below.
    }
  }
  const area = h('textarea', { class: 'offscreen', readonly: true, 'aria-hidden': 'true' });
  area.value = text;
  document.body.append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  return copied;
}

/** Returns a function that runs `fn` once `ms` have passed without another call. */
export function debounce(fn, ms) {
  let timer;
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const weekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const shortDateFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const longDateFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

function startOfDay(date) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** "now", "5 min", "14:32", "Mon", "Mar 3": the list's compact time. */
export function formatListTime(iso, now = new Date()) {
  const date = new Date(iso);
  const seconds = (now.getTime() - date.getTime()) / 1000;
  if (seconds < 45) return 'now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  const days = Math.round((startOfDay(now) - startOfDay(date)) / 86_400_000);
  if (days === 0) return timeFormat.format(date);
  if (days < 7) return weekdayFormat.format(date);
  return shortDateFormat.format(date);
}

/** "Today", "Yesterday" or a long date: the thread's day separators. */
export function formatDay(iso, now = new Date()) {
  const date = new Date(iso);
  const days = Math.round((startOfDay(now) - startOfDay(date)) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return longDateFormat.format(date);
}

export const formatTime = (iso) => timeFormat.format(new Date(iso));
export const formatFull = (iso) => fullFormat.format(new Date(iso));

export function dayKey(iso) {
  const date = new Date(iso);
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

export const plural = (count, one, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** A stable small integer per string, used to pick an avatar color class. */
export function hashHue(text, buckets = 8) {
  let hash = 0;
  for (const character of text) hash = (hash * 31 + character.codePointAt(0)) >>> 0;
  return hash % buckets;
}
