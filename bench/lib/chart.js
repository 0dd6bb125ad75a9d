// One small SVG line chart per guard scenario: sends per hour, delivered and refused, legitimate and
// attack, on a log scale (a drip of 6 an hour and a home peak of thousands both stay readable).

const escape = (text) => String(text).replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);

const chartSeries = [
  { key: 'legitSent', label: 'legitimate, delivered', color: '#2563eb' },
  { key: 'legitRefused', label: 'legitimate, refused', color: '#9333ea' },
  { key: 'overlaySent', label: 'attack, delivered', color: '#dc2626' },
  { key: 'overlayRefused', label: 'attack, refused', color: '#f59e0b' },
];

/**
 * @param {{ title: string, subtitle: string, hours: Array<Record<string, number>>, firstHour: number,
 *   start: number, overlayLabel?: string }} chart `hours[i]` is the hour `firstHour + i` after `start` (ms).
 */
export function renderChart({ title, subtitle, hours, firstHour, start, overlayLabel = 'attack' }) {
  const width = 960;
  const height = 360;
  const margin = { top: 58, right: 20, bottom: 64, left: 58 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const max = Math.max(10, ...hours.flatMap((hour) => chartSeries.map(({ key }) => hour[key])));
  const decades = Math.ceil(Math.log10(max + 1));
  // log10(1 + n): zero sits on the axis.
  const y = (value) => margin.top + plotHeight - (Math.log10(1 + value) / decades) * plotHeight;
  const x = (index) => margin.left + (hours.length <= 1 ? 0 : (index / (hours.length - 1)) * plotWidth);

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${margin.left}" y="22" font-size="15" font-weight="600">${escape(title)}</text>`,
    `<text x="${margin.left}" y="40" fill="#555">${escape(subtitle)}</text>`,
  ];
  for (let decade = 0; decade <= decades; decade += 1) {
    const value = 10 ** decade - 1;
    const label = decade === 0 ? '0' : (10 ** decade).toLocaleString('en');
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#e5e7eb"/>`,
      `<text x="${margin.left - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end" fill="#555">${label}</text>`
    );
  }
  // A tick at each midnight (UTC), labelled with the day; every few days when the chart is long.
  const days = hours.length / 24;
  const every = days > 14 ? 5 : days > 4 ? 1 : 0.25;
  for (let index = 0; index < hours.length; index += 1) {
    const hour = firstHour + index;
    if (hour % Math.round(every * 24) !== 0) continue;
    const date = new Date(start + hour * 3_600_000);
    const label =
      every < 1 ? `${date.toISOString().slice(5, 10)} ${date.toISOString().slice(11, 16)}` : `day ${Math.floor(hour / 24)}`;
    parts.push(
      `<line x1="${x(index).toFixed(1)}" x2="${x(index).toFixed(1)}" y1="${margin.top}" y2="${margin.top + plotHeight}" stroke="#f1f5f9"/>`,
      `<text x="${x(index).toFixed(1)}" y="${margin.top + plotHeight + 16}" text-anchor="middle" fill="#555">${label}</text>`
    );
  }
  parts.push(
    `<text x="16" y="${margin.top + plotHeight / 2}" transform="rotate(-90 16 ${margin.top + plotHeight / 2})" text-anchor="middle" fill="#555">sends per hour (log scale)</text>`,
    `<line x1="${margin.left}" x2="${width - margin.right}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight}" stroke="#9ca3af"/>`
  );
  for (const { key, color } of chartSeries) {
    if (!hours.some((hour) => hour[key] > 0)) continue;
    const points = hours.map((hour, index) => `${x(index).toFixed(1)},${y(hour[key]).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${points}" fill="none" stroke="${color}" stroke-width="1.5" stroke-linejoin="round"/>`);
  }
  chartSeries.forEach(({ label, color }, index) => {
    const left = margin.left + index * 200;
    const top = height - 18;
    parts.push(
      `<rect x="${left}" y="${top - 9}" width="14" height="4" fill="${color}"/>`,
      `<text x="${left + 20}" y="${top - 4}">${escape(label.replace('attack', overlayLabel))}</text>`
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
