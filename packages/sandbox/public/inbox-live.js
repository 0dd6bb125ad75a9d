// The inbox's data feed: a snapshot of the stored messages, then live server-sent events
// (message, status, deleted, cleared) applied on top. Events that race the snapshot are replayed
// after it; after a dropped stream, a fresh snapshot makes up for missed events.
import { api } from './lib.js';
import { clearMessages, remove, state, upsert } from './inbox-store.js';

/**
 * @param {{ render(): void, scheduleRender(): void, setLive(state: string, label: string): void }} view
 * @returns {{ load(): Promise<void>, connect(): void }}
 */
export function createLiveFeed({ render, scheduleRender, setLive }) {
  let loading = false;
  let queued = [];

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
      for (const [type, data] of queued) applyEvent(type, data);
      queued = [];
      render();
    }
  }

  function connect() {
    const source = new EventSource('/api/events');
    let dropped = false;
    source.addEventListener('open', () => {
      setLive('open', 'Live');
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

  return { load, connect };
}
