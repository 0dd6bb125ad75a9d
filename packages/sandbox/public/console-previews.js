// The console's template previews: each template of the config as the server rendered it with a
// sample code, its encoding and segments, and the locales it offers to the send form.
import { h, plural } from './lib.js';

/** The template previews, and the locales they offer to the send form. */
export function renderPreviews(elements, templates) {
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
