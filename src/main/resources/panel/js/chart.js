// A stacked bar chart drawn as SVG with the DOM (no library, nothing fetched, CSP-clean). Colours come
// from CSS classes, so the chart follows the light and dark themes. Each bar has a <title> tooltip, and
// the chart has a text summary for screen readers; pages also offer the numbers as a table.
import { svg, compact, num } from './dom.js';

/**
 * @param points  [{label, short, values: [n, ...]}], one per bar, values in series order
 * @param series  [{name, className}]
 * @param summary what the chart shows, in one sentence (the image's accessible name)
 */
export function stackedBars({ points, series, summary, width = 720, height = 220 }) {
  const pad = { top: 12, right: 8, bottom: 26, left: 48 };
  const plotW = Math.max(10, width - pad.left - pad.right);
  const plotH = height - pad.top - pad.bottom;
  const max = Math.max(1, ...points.map((p) => p.values.reduce((a, b) => a + b, 0)));
  const ticks = niceTicks(max, 4);
  const top = ticks[ticks.length - 1];
  const y = (value) => pad.top + plotH - (value / top) * plotH;
  const slot = plotW / Math.max(1, points.length);
  const barW = Math.max(2, Math.min(36, slot * 0.7));

  const root = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': summary });
  for (const tick of ticks) {
    root.append(svg('line', { class: 'grid', x1: pad.left, x2: width - pad.right, y1: y(tick), y2: y(tick) }));
    root.append(svg('text', { class: 'axis', x: pad.left - 6, y: y(tick) + 4, 'text-anchor': 'end', text: compact(tick) }));
  }
  const labelEvery = Math.ceil(points.length / Math.max(1, Math.floor(plotW / 48)));
  points.forEach((point, i) => {
    const x = pad.left + i * slot + (slot - barW) / 2;
    let base = 0;
    const group = svg('g', { class: 'bar' });
    point.values.forEach((value, s) => {
      if (value <= 0) return;
      group.append(svg('rect', { class: series[s].className, x, width: barW, y: y(base + value), height: Math.max(0.5, y(base) - y(base + value)), rx: 2 }));
      base += value;
    });
    // One hit area per bar with the whole breakdown as its tooltip.
    group.append(svg('rect', { class: 'hit', x: pad.left + i * slot, width: slot, y: pad.top, height: plotH },
      svg('title', { text: `${point.label}\n${series.map((s, k) => `${s.name}: ${num(point.values[k])}`).join('\n')}` })));
    root.append(group);
    if (i % labelEvery === 0) {
      root.append(svg('text', { class: 'axis', x: pad.left + i * slot + slot / 2, y: height - 8, 'text-anchor': 'middle', text: point.short ?? point.label }));
    }
  });
  root.append(svg('line', { class: 'baseline', x1: pad.left, x2: width - pad.right, y1: y(0), y2: y(0) }));
  return root;
}

/** Round tick values from 0 to at least max. */
export function niceTicks(max, count) {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks = [];
  for (let v = 0; v < max + step * 0.999; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return ticks.length > 1 ? ticks : [0, step];
}
