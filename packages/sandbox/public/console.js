// The console view: edit a connector config (validated live by the connector's own guard, server
// side), preview every template, and send a test code through the real connector into the sandbox.
// Its parts: the editor (console-editor.js), the previews (console-previews.js) and the send form
// (console-send.js); the usage types and the example config come from the server.
import { createEditor, setSummary } from './console-editor.js';
import { createSendForm } from './console-send.js';
import { api } from './lib.js';

/** The console's elements, found once. */
function consoleElements() {
  return {
    editor: document.querySelector('#config'),
    summary: document.querySelector('#validation-summary'),
    issues: document.querySelector('#issues'),
    previews: document.querySelector('#previews'),
    form: document.querySelector('#send-form'),
    to: document.querySelector('#send-to'),
    type: document.querySelector('#send-type'),
    locale: document.querySelector('#send-locale'),
    locales: document.querySelector('#locale-options'),
    send: document.querySelector('#send-button'),
    result: document.querySelector('#send-result'),
    format: document.querySelector('#format-config'),
    reset: document.querySelector('#reset-config'),
  };
}

/**
 * Wires the console view. Returns `{ activate }`, called when the view is shown.
 *
 * @param {{ onViewMessage(to: string): void, onInfo(info: object): void }} hooks
 */
export function initConsole({ onViewMessage, onInfo }) {
  const elements = consoleElements();
  const editor = createEditor(elements);
  const sendForm = createSendForm(elements, { onViewMessage });
  let example = null;

  async function loadExample() {
    try {
      example = await api('/api/console/example');
      sendForm.fillUsageTypes(example.usageTypes ?? []);
      if (example.samplePhone) elements.to.placeholder = example.samplePhone;
      if (!elements.to.value && example.samplePhone) elements.to.value = example.samplePhone;
      editor.setConfig(example.config);
      onInfo?.(example.sandbox ?? null);
    } catch (error) {
      // The usage types come with the example: without it, a send is refused by the server and says why.
      setSummary(elements, 'error', `Could not load the example config: ${error.message}`);
    }
  }

  elements.reset.addEventListener('click', () => {
    if (example) editor.setConfig(example.config);
    else void loadExample();
  });

  editor.renderGutter();
  void loadExample();

  return {
    activate() {
      editor.renderGutter();
    },
  };
}
