// Usage: tokens, requests and cost per day as charts, totals, and the same broken down by model, channel,
// user or group; below, the price table every call is priced with and the budgets that limit spending.
// Days are UTC days, as the server groups them. Costs are the server's: each call's at the prices of its
// time, in whatever currency the price table is in.
import { h, replace, num, compact } from '../dom.js';
import { get, withQuery } from '../api.js';
import { field, showError, pageHeader, loading, empty } from '../ui.js';
import { stackedBars } from '../chart.js';
import { money } from './money.js';
import { pricesSection } from './usage-prices.js';
import { budgetsSection } from './usage-budgets.js';

const DAY = 86_400_000;
const GROUPS = [
  { key: 'model', title: 'By model' },
  { key: 'channel', title: 'By channel' },
  { key: 'user', title: 'By user' },
  { key: 'group', title: 'By group' },
];

export function mount(root, { params, navigate }) {
  const state = { disposed: false, data: null, tab: params.get('by') ?? 'model', resize: null, loads: 0 };
  const range = h('select', { name: 'days' }, [7, 14, 30, 90].map((d) => h('option', { value: d, text: `Last ${d} days` })));
  range.value = params.get('days') ?? '14';
  const userInput = h('input', { name: 'userId', maxlength: 64, placeholder: 'all users', autocomplete: 'off', value: params.get('userId') ?? '' });
  const groupInput = h('input', { name: 'groupId', maxlength: 64, placeholder: 'all groups', autocomplete: 'off', value: params.get('groupId') ?? '' });
  const pageError = h('div', { class: 'error-box', role: 'alert', hidden: true });
  const cards = h('div', { class: 'stat-cards' });
  const charts = h('div', { class: 'charts' }, loading());
  const breakdown = h('section', { class: 'card', 'aria-label': 'Breakdown' });
  const prices = pricesSection();
  const budgets = budgetsSection();

  const filters = h('form', { class: 'filter-bar', onsubmit: (e) => {
    e.preventDefault();
    navigate('usage', { days: range.value, userId: userInput.value.trim(), groupId: groupInput.value.trim(), by: state.tab }, { replace: true });
    load();
  } },
  field('Period', range),
  field('User ID', userInput, { optional: true }),
  field('Group ID', groupInput, { optional: true }),
  h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'btn primary', text: 'Show' })));
  range.addEventListener('change', () => filters.requestSubmit());

  replace(root,
    pageHeader('Usage', 'Requests, tokens and cost through every route, per UTC day, with a breakdown by model, channel, user or group; the prices and budgets behind them.'),
    filters, pageError, cards, charts, breakdown, budgets.element, prices.element);

  async function load() {
    const days = Number(range.value);
    const today = Math.floor(Date.now() / DAY) * DAY;
    const query = { from: today - (days - 1) * DAY, to: today + DAY, userId: userInput.value.trim(), groupId: groupInput.value.trim() };
    const load = ++state.loads;
    charts.setAttribute('aria-busy', 'true');
    try {
      const [byDay, ...groups] = await Promise.all(['day', ...GROUPS.map((g) => g.key)].map((groupBy) =>
        get(withQuery('/api/stats/usage', { ...query, groupBy }))));
      if (state.disposed || load !== state.loads) return;
      state.data = { days, from: query.from, byDay, groups: Object.fromEntries(GROUPS.map((g, i) => [g.key, groups[i].groups])) };
      showError(pageError, null);
      render();
    } catch (error) {
      if (!state.disposed) showError(pageError, error, 'Could not load the usage');
    } finally {
      charts.setAttribute('aria-busy', 'false');
    }
  }

  function render() {
    const { byDay } = state.data;
    const t = byDay.totals;
    const attempts = t.requests + t.failures;
    replace(cards,
      stat('Requests', num(t.requests), t.failures ? `${num(t.failures)} failed (${((t.failures / Math.max(1, attempts)) * 100).toFixed(1)}%)` : 'none failed'),
      stat('Total tokens', compact(t.totalTokens), `${num(t.totalTokens)} tokens`),
      stat('Prompt tokens', compact(t.promptTokens), `${num(Math.round(t.promptTokens / Math.max(1, t.requests)))} per request`),
      stat('Completion tokens', compact(t.completionTokens), `${num(Math.round(t.completionTokens / Math.max(1, t.requests)))} per request`),
      stat('Cost', money(t.cost), t.unpricedTokens ? `${num(t.unpricedTokens)} tokens without a price` : 'at the prices of each call'));
    renderCharts();
    renderBreakdown();
  }

  function stat(label, value, note) {
    return h('div', { class: 'card stat' }, h('p', { class: 'stat-label', text: label }), h('p', { class: 'stat-value', text: value }), h('p', { class: 'muted small', text: note }));
  }

  /** Every day of the range, with zeros where nothing happened (the API only returns days with records). */
  function dailyPoints() {
    const { days, from, byDay } = state.data;
    const found = new Map(byDay.groups.map((g) => [g.key, g]));
    const points = [];
    for (let i = 0; i < days; i++) {
      const day = new Date(from + i * DAY);
      const key = day.toISOString().slice(0, 10);
      const g = found.get(key) ?? { requests: 0, failures: 0, promptTokens: 0, completionTokens: 0, totalTokens: 0, cost: 0 };
      points.push({ key, g, label: day.toLocaleDateString(undefined, { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' }),
        short: day.toLocaleDateString(undefined, { timeZone: 'UTC', month: 'numeric', day: 'numeric' }) });
    }
    return points;
  }

  function renderCharts() {
    const points = dailyPoints();
    if (state.data.byDay.totals.requests + state.data.byDay.totals.failures === 0) {
      replace(charts, h('div', { class: 'card' }, empty('No usage in this period', 'Usage is recorded for every chat and /v1 call.')));
      return;
    }
    const width = Math.max(300, Math.min(1100, charts.clientWidth - 40));
    const tokens = stackedBars({
      width, points: points.map((p) => ({ ...p, values: [p.g.promptTokens, p.g.completionTokens] })),
      series: [{ name: 'Prompt tokens', className: 's1' }, { name: 'Completion tokens', className: 's2' }],
      summary: `Tokens per day over ${points.length} days: ${num(state.data.byDay.totals.totalTokens)} in all.`,
    });
    const requests = stackedBars({
      width, height: 160, points: points.map((p) => ({ ...p, values: [p.g.requests, p.g.failures] })),
      series: [{ name: 'Answered', className: 's3' }, { name: 'Failed', className: 'bad' }],
      summary: `Requests per day over ${points.length} days: ${num(state.data.byDay.totals.requests)} answered, ${num(state.data.byDay.totals.failures)} failed.`,
    });
    replace(charts,
      h('section', { class: 'card chart-card', 'aria-labelledby': 'tokens-title' },
        h('div', { class: 'card-head' }, h('h2', { id: 'tokens-title', text: 'Tokens per day' }),
          legend([['s1', 'Prompt'], ['s2', 'Completion']])),
        tokens),
      h('section', { class: 'card chart-card', 'aria-labelledby': 'requests-title' },
        h('div', { class: 'card-head' }, h('h2', { id: 'requests-title', text: 'Requests per day' }),
          legend([['s3', 'Answered'], ['bad', 'Failed']])),
        requests,
        h('details', { class: 'numbers' }, h('summary', { text: 'Show the numbers per day' }),
          h('table', { class: 'table compact' },
            h('thead', {}, h('tr', {}, ['Day (UTC)', 'Requests', 'Failed', 'Prompt', 'Completion', 'Total', 'Cost'].map((x) => h('th', { scope: 'col', text: x })))),
            h('tbody', {}, points.filter((p) => p.g.requests + p.g.failures > 0).map((p) => h('tr', {},
              h('th', { scope: 'row', text: p.key }),
              [p.g.requests, p.g.failures, p.g.promptTokens, p.g.completionTokens, p.g.totalTokens].map((v) => h('td', { class: 'num', text: num(v) })),
              h('td', { class: 'num', text: money(p.g.cost) }))))))));
  }

  function legend(items) {
    return h('ul', { class: 'legend' }, items.map(([cls, text]) => h('li', {}, h('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }), h('span', { text }))));
  }

  function renderBreakdown() {
    const tabs = GROUPS.map((g) => h('button', { type: 'button', role: 'tab', id: `tab-${g.key}`, 'aria-controls': 'breakdown-panel',
      'aria-selected': String(g.key === state.tab), tabindex: g.key === state.tab ? '0' : '-1', class: 'tab', text: g.title,
      onclick: () => choose(g.key) }));
    const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Break usage down' }, tabs);
    tablist.addEventListener('keydown', (event) => {
      const i = GROUPS.findIndex((g) => g.key === state.tab);
      const next = event.key === 'ArrowRight' ? i + 1 : event.key === 'ArrowLeft' ? i - 1 : null;
      if (next === null) return;
      event.preventDefault();
      choose(GROUPS[(next + GROUPS.length) % GROUPS.length].key, true);
    });
    const rows = [...state.data.groups[state.tab]].sort((a, b) => b.totalTokens - a.totalTokens);
    const total = Math.max(1, rows.reduce((sum, r) => sum + r.totalTokens, 0));
    const panel = h('div', { role: 'tabpanel', id: 'breakdown-panel', 'aria-labelledby': `tab-${state.tab}`, tabindex: '0' },
      rows.length === 0 ? empty('No usage in this period') : h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, [GROUPS.find((g) => g.key === state.tab).title.replace('By ', ''), 'Requests', 'Failed', 'Prompt', 'Completion', 'Total', 'Share', 'Cost']
          .map((x) => h('th', { scope: 'col', class: ['Requests', 'Failed', 'Prompt', 'Completion', 'Total', 'Cost'].includes(x) ? 'num' : null,
            text: x[0].toUpperCase() + x.slice(1) })))),
        h('tbody', {}, rows.map((r) => {
          const share = r.totalTokens / total;
          return h('tr', {},
            h('th', { scope: 'row', 'data-label': state.tab, class: 'mono', text: r.key || '(none)' }),
            [r.requests, r.failures, r.promptTokens, r.completionTokens, r.totalTokens].map((v, i) =>
              h('td', { class: 'num', 'data-label': ['Requests', 'Failed', 'Prompt', 'Completion', 'Total'][i], text: num(v) })),
            h('td', { 'data-label': 'Share' }, h('div', { class: 'share-cell' },
              h('meter', { min: 0, max: 1, value: share, 'aria-label': `${r.key || '(none)'} share of tokens` }),
              h('span', { class: 'small', text: `${(share * 100).toFixed(1)}%` }))),
            h('td', { class: 'num', 'data-label': 'Cost', text: money(r.cost), title: r.unpricedTokens ? `${num(r.unpricedTokens)} tokens without a price` : null }));
        }))));
    replace(breakdown, h('div', { class: 'card-head' }, h('h2', { text: 'Breakdown' }), tablist), panel);
  }

  function choose(tab, focus = false) {
    state.tab = tab;
    navigate('usage', { days: range.value, userId: userInput.value.trim(), groupId: groupInput.value.trim(), by: tab }, { replace: true });
    renderBreakdown();
    if (focus) breakdown.querySelector(`#tab-${tab}`)?.focus();
  }

  let drawnWidth = 0;
  state.resize = new ResizeObserver(() => {
    // Only a new width needs a redraw (drawing changes the height, which must not loop).
    if (!state.data || Math.abs(charts.clientWidth - drawnWidth) < 8) return;
    drawnWidth = charts.clientWidth;
    renderCharts();
  });
  state.resize.observe(charts);
  load();
  return {
    dispose() {
      state.disposed = true;
      state.resize.disconnect();
      budgets.dispose();
    },
  };
}
