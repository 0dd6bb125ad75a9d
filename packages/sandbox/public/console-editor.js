// The console's config editor: the JSON text with a line-number gutter, checked live by the
// connector's own guard on the server (summary and issues), the previews re-rendered with each check.
import { renderPreviews } from './console-previews.js';
import { api, debounce, h, icon, plural } from './lib.js';

/** Line and column (1-based) of a character offset. */
function lineColumn(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Parses the editor's JSON; on failure, returns a message with the line and column. */
export function parseJson(text) {
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

/** The check's one-line verdict, on the summary and the validation panel. */
export function setSummary(elements, stateName, text) {
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
export function createEditor(elements) {
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
