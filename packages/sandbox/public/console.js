// The console view: edit a connector config (validated live by the connector's own guard, server
// side), preview every template, and send a test code through the real connector into the sandbox.
import { api, debounce, h, icon, plural } from './lib.js';

const fallbackUsageTypes = [
  'SignIn',
  'Register',
  'ForgotPassword',
  'Generic',
  'MfaVerification',
  'BindMfa',
  'UserPermissionValidation',
  'BindNewIdentifier',
  'OrganizationInvitation',
];

/** Line and column (1-based) of a character offset. */
function lineColumn(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Parses the editor's JSON; on failure, returns a message with the line and column. */
function parseJson(text) {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = String(error.message ?? error);
    const position = /position (\d+)/.exec(message);
    const where = position ? lineColumn(text, Number(position[1])) : null;
    const reason = message
      .replace(/^JSON\.parse: /, '')
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/ \(line \d+ column \d+\)$/, '');
    return {
      ok: false,
      line: where?.line ?? null,
      message: where ? `${reason} (line ${where.line}, column ${where.column})` : reason,
    };
  }
}

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

/** The template previews, and the locales they offer to the send form. */
function renderPreviews(elements, templates) {
  if (!templates || templates.length === 0) {
    elements.previews.replaceChildren(h('li', { class: 'previews-empty' }, 'Fix the config to preview its templates.'));
    elements.locales.replaceChildren();
    return;
  }
  elements.previews.replaceChildren(
    ...templates.map((template) => {
      const segments = Number(template.segments ?? 0);
      const heavy = template.encoding === 'UCS-2' || segments > 1;
      return h(
        'li',
        { class: 'preview', dataset: { usageType: template.usageType } },
        h(
          'div',
          { class: 'preview-head' },
          h('span', { class: 'preview-type' }, template.usageType),
          template.locale ? h('span', { class: 'pill' }, template.locale) : h('span', { class: 'pill pill-muted' }, 'any locale'),
          h(
            'span',
            { class: `preview-cost${heavy ? ' is-heavy' : ''}`, title: `${template.encoding} encoding` },
            `${template.encoding} · ${plural(segments, 'segment')}`
          )
        ),
        h('p', { class: 'preview-body' }, template.body ?? '')
      );
    })
  );
  const locales = [...new Set(templates.map((template) => template.locale).filter(Boolean))];
  elements.locales.replaceChildren(...locales.map((locale) => h('option', { value: locale })));
}

/** The check's one-line verdict, on the summary and the validation panel. */
function setSummary(elements, stateName, text) {
  elements.summary.dataset.state = stateName;
  elements.summary.replaceChildren(
    icon(stateName === 'ok' ? 'check' : stateName === 'error' ? 'alert' : 'info', 'icon icon-sm'),
    h('span', {}, text)
  );
  document.querySelector('#validation').dataset.state = stateName;
}

/** The verdict on a checked config: its templates, or its errors, with the warnings either way. */
function checkSummary(result) {
  const issues = result.issues ?? [];
  const errors = issues.filter((issue) => issue.severity !== 'warning').length;
  const warnings = issues.length - errors;
  const warned = warnings ? ` · ${plural(warnings, 'warning')}` : '';
  return result.ok
    ? { state: warnings ? 'warning' : 'ok', text: `Valid config · ${plural(result.templates?.length ?? 0, 'template')}${warned}` }
    : { state: 'error', text: `${plural(errors, 'error')}${warned}` };
}

function renderIssues(elements, issues) {
  elements.issues.replaceChildren(
    ...issues.map((issue) =>
      h(
        'li',
        { class: 'issue', dataset: { severity: issue.severity ?? 'error' } },
        icon(issue.severity === 'warning' ? 'info' : 'alert', 'icon icon-sm'),
        h('code', { class: 'issue-path' }, issue.path || '(root)'),
        h('span', { class: 'issue-message' }, issue.message)
      )
    )
  );
}

/**
 * The editor's line-number gutter: a sibling that scrolls with the textarea (no inline styles
 * needed). Returns its render function, which can mark the line of a JSON error.
 */
function createGutter(editor) {
  const gutter = h('div', { class: 'gutter', 'aria-hidden': 'true' });
  editor.before(gutter);
  editor.addEventListener('scroll', () => {
    gutter.scrollTop = editor.scrollTop;
  });
  return (errorLine = null) => {
    const count = editor.value.split('\n').length;
    const lines = [];
    for (let line = 1; line <= count; line += 1) {
      lines.push(h('span', { class: line === errorLine ? 'gutter-line is-error' : 'gutter-line' }, String(line)));
    }
    gutter.replaceChildren(...lines, h('span', { class: 'gutter-pad' }));
    gutter.scrollTop = editor.scrollTop;
  };
}

/**
 * The config editor: a line-number gutter, and a live check by the server (summary, issues, and
 * the previews it renders).
 */
function createEditor(elements) {
  let checkController = null;
  let checkSequence = 0;

  const renderGutter = createGutter(elements.editor);

  async function check() {
    const text = elements.editor.value;
    const parsed = parseJson(text);
    checkController?.abort();
    if (!parsed.ok) {
      renderGutter(parsed.line);
      setSummary(elements, 'error', 'Invalid JSON');
      renderIssues(elements, [{ path: '(json)', message: parsed.message, severity: 'error' }]);
      renderPreviews(elements, []);
      return;
    }
    renderGutter();
    const sequence = ++checkSequence;
    checkController = new AbortController();
    try {
      const result = await api('/api/console/check', {
        method: 'POST',
        body: { config: parsed.value },
        signal: checkController.signal,
      });
      if (sequence !== checkSequence) return;
      const summary = checkSummary(result);
      setSummary(elements, summary.state, summary.text);
      renderIssues(elements, result.issues ?? []);
      renderPreviews(elements, result.templates ?? []);
    } catch (error) {
      if (error.name === 'AbortError' || sequence !== checkSequence) return;
      setSummary(elements, 'error', `Could not check the config: ${error.message}`);
      renderIssues(elements, []);
    }
  }

  const debouncedCheck = debounce(check, 250);

  function setConfig(config) {
    elements.editor.value = `${JSON.stringify(config, null, 2)}\n`;
    renderGutter();
    void check();
  }

  elements.editor.addEventListener('input', () => {
    renderGutter();
    setSummary(elements, 'pending', 'Checking…');
    debouncedCheck();
  });
  elements.editor.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      elements.form.requestSubmit();
    }
  });
  elements.format.addEventListener('click', () => {
    const parsed = parseJson(elements.editor.value);
    if (parsed.ok) setConfig(parsed.value);
    else void check();
  });

  return { renderGutter, setConfig };
}

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
function createSendForm(elements, { onViewMessage }) {
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
    elements.type.value = types.includes(current) ? current : types[0];
  }

  elements.to.addEventListener('input', () => elements.to.removeAttribute('aria-invalid'));
  elements.form.addEventListener('submit', send);
  elements.send.replaceChildren(icon('send', 'icon icon-sm'), 'Send code');

  return { fillUsageTypes };
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
      sendForm.fillUsageTypes(example.usageTypes?.length ? example.usageTypes : fallbackUsageTypes);
      if (!elements.to.value && example.samplePhone) elements.to.value = example.samplePhone;
      editor.setConfig(example.config);
      onInfo?.(example.sandbox ?? null);
    } catch (error) {
      sendForm.fillUsageTypes(fallbackUsageTypes);
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
