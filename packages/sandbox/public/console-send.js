// The console's send form: sends a test code through the real connector into this sandbox and shows
// the message that came back, or the connector's error.
import { parseJson } from './console-editor.js';
import { api, h, icon } from './lib.js';

/** What a send that went through shows: the message, and a way to it in the inbox. */
function sentResult(message, sandbox, onViewMessage) {
  return [
    h('p', { class: 'result-title' }, icon('check', 'icon icon-sm'), `Sent to ${message.to}`),
    h(
      'dl',
      { class: 'result-facts' },
      h('div', {}, h('dt', {}, 'Message SID'), h('dd', { class: 'mono result-sid' }, message.sid)),
      h('div', {}, h('dt', {}, 'Status'), h('dd', {}, h('span', { class: `badge badge-${message.status}` }, message.status))),
      h(
        'div',
        {},
        h('dt', {}, 'Segments'),
        h('dd', {}, `${message.segments ?? '?'}${message.encoding ? ` · ${message.encoding}` : ''}`)
      )
    ),
    sandbox?.baseUrlReplaced
      ? h('p', { class: 'result-text' }, `Sent into this sandbox (${sandbox.url}): the config's baseUrl was not used.`)
      : null,
    h(
      'button',
      { type: 'button', class: 'btn btn-quiet btn-small', onclick: () => onViewMessage(message.to) },
      'View in inbox',
      icon('arrow', 'icon icon-sm')
    ),
  ];
}

/** What a failed send shows: the connector's error code and message, and its data if any. */
function failedResult(error) {
  const details = error.body?.error;
  const children = [
    h(
      'p',
      { class: 'result-title' },
      icon('alert', 'icon icon-sm'),
      details?.code ? h('code', { class: 'result-code' }, details.code) : null,
      details?.code ? ' ' : null,
      'Send failed'
    ),
    h('p', { class: 'result-text' }, details?.message ?? error.message),
  ];
  if (details?.data !== undefined && details?.data !== null) {
    children.push(
      h('details', { class: 'result-data' }, h('summary', {}, 'Error data'), h('pre', {}, JSON.stringify(details.data, null, 2)))
    );
  }
  return children;
}

/** The send form: sends a test code through the real connector and shows what came back. */
export function createSendForm(elements, { onViewMessage }) {
  function showResult(kind, children) {
    elements.result.hidden = false;
    elements.result.dataset.kind = kind;
    // Optional parts are null when absent: replaceChildren would print them as "null".
    elements.result.replaceChildren(...children.filter((child) => child !== null && child !== undefined && child !== false));
  }

  async function send(event) {
    event.preventDefault();
    const parsed = parseJson(elements.editor.value);
    if (!parsed.ok) {
      showResult('error', [
        h('p', { class: 'result-title' }, icon('alert', 'icon icon-sm'), 'The config is not valid JSON.'),
        h('p', { class: 'result-text' }, parsed.message),
      ]);
      return;
    }
    const to = elements.to.value.trim();
    if (!to) {
      elements.to.setAttribute('aria-invalid', 'true');
      elements.to.focus();
      showResult('error', [h('p', { class: 'result-title' }, icon('alert', 'icon icon-sm'), 'Enter a phone number to send to.')]);
      return;
    }
    elements.to.removeAttribute('aria-invalid');
    const locale = elements.locale.value.trim();
    elements.send.disabled = true;
    elements.send.classList.add('is-busy');
    elements.send.textContent = 'Sending…';
    try {
      const { message, sandbox } = await api('/api/console/send', {
        method: 'POST',
        body: { config: parsed.value, to, type: elements.type.value, ...(locale ? { locale } : {}) },
      });
      showResult('ok', sentResult(message, sandbox, onViewMessage));
    } catch (error) {
      showResult('error', failedResult(error));
    } finally {
      elements.send.disabled = false;
      elements.send.classList.remove('is-busy');
      elements.send.replaceChildren(icon('send', 'icon icon-sm'), 'Send code');
    }
  }

  function fillUsageTypes(types) {
    const current = elements.type.value;
    elements.type.replaceChildren(...types.map((type) => h('option', { value: type }, type)));
    elements.type.value = types.includes(current) ? current : (types[0] ?? '');
  }

  elements.to.addEventListener('input', () => elements.to.removeAttribute('aria-invalid'));
  elements.form.addEventListener('submit', send);
  elements.send.replaceChildren(icon('send', 'icon icon-sm'), 'Send code');

  return { fillUsageTypes };
}
