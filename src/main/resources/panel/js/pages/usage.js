// Usage: tokens and requests per day as charts, totals, and the same broken down by model, channel or
// user; an optional price per model turns tokens into an estimated cost. Days are UTC days, as the
// server groups them. Prices are the operator's own numbers, kept in this browser only.
import { h, replace, num, compact } from '../dom.js';
import { get, withQuery } from '../api.js';
import { field, showError, pageHeader, loading, empty } from '../ui.js';
import { stackedBars } from '../chart.js';

const DAY = 86_400_000;
const PRICES = 'chatai.prices';
const GROUPS = [
  { key: 'model', title: 'By model' },
  { key: 'channel', title: 'By channel' },
  { key: 'user', title: 'By user' },
];

function loadPrices() {
  try {
    return JSON.parse(localStorage.getItem(PRICES)) ?? {};
  } catch {
    return {};
  }
}

/** Estimated cost of a model's tokens, or null without a price. Prices are per million tokens. */
function costOf(prices, model, prompt, completion) {
  const p = prices[model];
  if (!p || (p.prompt == null && p.completion == null)) return null;
  return ((p.prompt ?? 0) * prompt + (p.completion ?? 0) * completion) / 1e6;
}

const cents = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' });
const fractions = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', minimumFractionDigits: 4, maximumFractionDigits: 4 });
const money = { format: (value) => (value < 1 ? fractions : cents).format(value) };

export function mount(root, { params, navigate }) {
  const state = { disposed: false, data: null, tab: params.get('by') ?? 'model', prices: loadPrices(), resize: null, loads: 0 };
  const range = h('select', { name: 'days' }, [7, 14, 30, 90].map((d) => h('option', { value: d, text: `Last ${d} days` })));
  range.value = params.get('days') ?? '14';
  const userInput = h('input', { name: 'userId', maxlength: 64, placeholder: 'all users', autocomplete: 'off', value: params.get('userId') ?? '' });
  const groupInput = h('input', { name: 'groupId', maxlength: 64, placeholder: 'all groups', autocomplete: 'off', value: params.get('groupId') ?? '' });
  const pageError = h('div', { class: 'error-box', role: 'alert', hidden: true });
  const cards = h('div', { class: 'stat-cards' });
  const charts = h('div', { class: 'charts' }, loading());
  const breakdown = h('section', { class: 'card', 'aria-label': 'Breakdown' });

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
    pageHeader('Usage', 'Requests and tokens through every route, per UTC day, with a breakdown by model, channel or user.'),
    filters, pageError, cards, charts, breakdown);

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
    const cost = totalCost();
    const attempts = t.requests + t.failures;
    replace(cards,
      stat('Requests', num(t.requests), t.failures ? `${num(t.failures)} failed (${((t.failures / Math.max(1, attempts)) * 100).toFixed(1)}%)` : 'none failed'),
      stat('Total tokens', compact(t.totalTokens), `${num(t.totalTokens)} tokens`),
      stat('Prompt tokens', compact(t.promptTokens), `${num(Math.round(t.promptTokens / Math.max(1, t.requests)))} per request`),
      stat('Completion tokens', compact(t.completionTokens), `${num(Math.round(t.completionTokens / Math.max(1, t.requests)))} per request`),
      stat('Estimated cost', cost == null ? '–' : money.format(cost), cost == null ? 'set prices below' : 'from your prices per model'));
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
      const g = found.get(key) ?? { requests: 0, failures: 0, promptTokens: 0, completionTokens: 0, totalTokens: 0 };
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
            h('thead', {}, h('tr', {}, ['Day (UTC)', 'Requests', 'Failed', 'Prompt', 'Completion', 'Total'].map((x) => h('th', { scope: 'col', text: x })))),
            h('tbody', {}, points.filter((p) => p.g.requests + p.g.failures > 0).map((p) => h('tr', {},
              h('th', { scope: 'row', text: p.key }),
              [p.g.requests, p.g.failures, p.g.promptTokens, p.g.completionTokens, p.g.totalTokens].map((v) => h('td', { class: 'num', text: num(v) })))))))));
  }

  function legend(items) {
    return h('ul', { class: 'legend' }, items.map(([cls, text]) => h('li', {}, h('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }), h('span', { text }))));
  }

  function totalCost() {
    let total = null;
    for (const g of state.data.groups.model) {
      const cost = costOf(state.prices, g.key, g.promptTokens, g.completionTokens);
      if (cost != null) total = (total ?? 0) + cost;
    }
    return total;
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
    const byModel = state.tab === 'model';
    const panel = h('div', { role: 'tabpanel', id: 'breakdown-panel', 'aria-labelledby': `tab-${state.tab}`, tabindex: '0' },
      rows.length === 0 ? empty('No usage in this period') : h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, [GROUPS.find((g) => g.key === state.tab).title.replace('By ', ''), 'Requests', 'Failed', 'Prompt', 'Completion', 'Total', 'Share', byModel ? 'Est. cost' : null]
          .filter((x) => x !== null).map((x) => h('th', { scope: 'col', class: ['Requests', 'Failed', 'Prompt', 'Completion', 'Total', 'Est. cost'].includes(x) ? 'num' : null,
            text: x[0].toUpperCase() + x.slice(1) })))),
        h('tbody', {}, rows.map((r) => {
          const share = r.totalTokens / total;
          const cost = byModel ? costOf(state.prices, r.key, r.promptTokens, r.completionTokens) : null;
          return h('tr', {},
            h('th', { scope: 'row', 'data-label': state.tab, class: 'mono', text: r.key || '(none)' }),
            [r.requests, r.failures, r.promptTokens, r.completionTokens, r.totalTokens].map((v, i) =>
              h('td', { class: 'num', 'data-label': ['Requests', 'Failed', 'Prompt', 'Completion', 'Total'][i], text: num(v) })),
            h('td', { 'data-label': 'Share' }, h('div', { class: 'share-cell' },
              h('meter', { min: 0, max: 1, value: share, 'aria-label': `${r.key || '(none)'} share of tokens` }),
              h('span', { class: 'small', text: `${(share * 100).toFixed(1)}%` }))),
            byModel ? h('td', { class: 'num', 'data-label': 'Est. cost', text: cost == null ? '–' : money.format(cost) }) : null);
        }))));
    replace(breakdown, h('div', { class: 'card-head' }, h('h2', { text: 'Breakdown' }), tablist), panel, byModel ? priceEditor(rows) : null);
  }

  function choose(tab, focus = false) {
    state.tab = tab;
    navigate('usage', { days: range.value, userId: userInput.value.trim(), groupId: groupInput.value.trim(), by: tab }, { replace: true });
    renderBreakdown();
    if (focus) breakdown.querySelector(`#tab-${tab}`)?.focus();
  }

  /** Prices per million tokens for the models seen, stored in this browser (they are not secrets). */
  function priceEditor(rows) {
    if (rows.length === 0) return null;
    const inputs = rows.map((r) => {
      const p = state.prices[r.key] ?? {};
      const prompt = h('input', { type: 'number', min: 0, step: 0.01, value: p.prompt ?? '', 'aria-label': `${r.key}: USD per million prompt tokens`, placeholder: '0.00' });
      const completion = h('input', { type: 'number', min: 0, step: 0.01, value: p.completion ?? '', 'aria-label': `${r.key}: USD per million completion tokens`, placeholder: '0.00' });
      return { model: r.key, prompt, completion };
    });
    const form = h('form', { class: 'prices', onsubmit: (e) => {
      e.preventDefault();
      for (const i of inputs) {
        const prompt = i.prompt.value === '' ? null : Number(i.prompt.value);
        const completion = i.completion.value === '' ? null : Number(i.completion.value);
        if (prompt == null && completion == null) delete state.prices[i.model];
        else state.prices[i.model] = { prompt, completion };
      }
      localStorage.setItem(PRICES, JSON.stringify(state.prices));
      render();
    } },
    h('table', { class: 'table compact' },
      h('thead', {}, h('tr', {}, ['Model', 'USD / 1M prompt', 'USD / 1M completion'].map((x) => h('th', { scope: 'col', text: x })))),
      h('tbody', {}, inputs.map((i) => h('tr', {}, h('th', { scope: 'row', class: 'mono', text: i.model }), h('td', {}, i.prompt), h('td', {}, i.completion))))),
    h('div', { class: 'form-actions end' }, h('button', { type: 'submit', class: 'btn', text: 'Save prices' })));
    return h('details', { class: 'numbers' },
      h('summary', { text: 'Prices for the cost estimate' }),
      h('p', { class: 'hint', text: 'Your provider\'s list prices per million tokens. Kept in this browser only; the server does not know prices.' }),
      form);
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
    },
  };
}
