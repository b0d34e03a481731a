// Budgets on the Usage page: limits on tokens and/or cost per key, user or group ("*": each its own), per
// UTC day or month. The list shows where each stands in its current period, as the server counts it
// (settled calls plus what calls in flight hold); a request that would pass a limit is refused with
// QUOTA_EXCEEDED and the budget's message.
import { h, replace, num, dateTime, relative } from '../dom.js';
import { get, post, put, del, seg } from '../api.js';
import { field, button, showError, confirmDialog, toast, loading, empty, modal, numberOrNull } from '../ui.js';
import { money, amountOrNull } from './money.js';

const SCOPES = [['group', 'Group'], ['user', 'User'], ['key', 'Key']];
const PERIODS = [['day', 'Per day (UTC)'], ['month', 'Per month (UTC)']];

export function budgetsSection() {
  const state = { disposed: false, keys: new Map() };
  const region = h('div', { class: 'table-region' }, loading());
  const error = h('div', { class: 'error-box', role: 'alert', hidden: true });
  const element = h('section', { class: 'card', 'aria-labelledby': 'budgets-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'budgets-title', text: 'Budgets' }),
      button('New budget', { icon: 'plus', kind: 'primary', onclick: () => edit(null) })),
    h('p', { class: 'hint', text: 'Each request reserves its worst case (prompt plus the most it may answer) against every budget of its '
      + 'key, user and group, and settles to what it really cost. A request that would pass a limit is refused with your message.' }),
    error, region);

  async function load() {
    try {
      const [budgets, keys] = await Promise.all([get('/api/budgets'), get('/api/keys')]);
      if (state.disposed) return;
      state.keys = new Map(keys.map((k) => [k.id, k.name])); // a key budget reads better by the key's name
      showError(error, null);
      render(budgets);
    } catch (e) {
      if (!state.disposed) showError(error, e, 'Could not load the budgets');
    }
  }

  function render(budgets) {
    if (budgets.length === 0) {
      replace(region, empty('No budgets', 'Give a busy group, a user or a bot\'s key a daily or monthly limit, so no one can run up the bill.'));
      return;
    }
    replace(region, h('table', { class: 'table budget-table' },
      h('thead', {}, h('tr', {}, ['Budget', 'Period', 'Used this period', 'Remaining', 'Resets', ''].map((x) =>
        h('th', { scope: 'col' }, x || h('span', { class: 'visually-hidden', text: 'Actions' }))))),
      h('tbody', {}, budgets.map((b) => h('tr', {},
        h('th', { scope: 'row', 'data-label': 'Budget' }, h('span', { class: 'block', text: `${label(b)}` }),
          b.message ? h('span', { class: 'muted small block', text: `“${b.message}”` }) : null),
        h('td', { 'data-label': 'Period', text: b.period === 'day' ? 'Day' : 'Month' }),
        h('td', { 'data-label': 'Used this period' }, used(b)),
        h('td', { 'data-label': 'Remaining' }, remaining(b)),
        h('td', { 'data-label': 'Resets' }, h('time', { datetime: new Date(b.resetsAt).toISOString(), title: dateTime(b.resetsAt),
          text: relative(b.resetsAt) })),
        h('td', { class: 'actions nowrap' },
          button('Edit', { icon: 'edit', kind: 'ghost', 'aria-label': `Edit ${label(b)}`, onclick: () => edit(b) }),
          button('Delete', { icon: 'trash', kind: 'ghost danger-text', 'aria-label': `Delete ${label(b)}`, onclick: () => remove(b) })))))));
  }

  function label(b) {
    const scope = SCOPES.find(([v]) => v === b.scope)?.[1] ?? b.scope;
    if (b.subject === '*') return `Each ${scope.toLowerCase()}`;
    return `${scope} ${b.scope === 'key' ? state.keys.get(b.subject) ?? b.subject : b.subject}`;
  }

  /** Tokens and cost against their limits, with a meter each; for "*", the subjects that used the most. */
  function used(b) {
    if (b.subject === '*') {
      if (!b.subjects?.length) return h('span', { class: 'muted', text: 'nobody yet' });
      return h('ul', { class: 'subject-list' }, b.subjects.slice(0, 5).map((s) =>
        h('li', {}, h('span', { class: 'mono', text: s.subject }), ' ', amounts(b, s))),
      b.subjects.length > 5 ? h('li', { class: 'muted', text: `and ${b.subjects.length - 5} more` }) : null);
    }
    return amounts(b, b);
  }

  function amounts(b, s) {
    const parts = [];
    if (b.maxTokens != null) parts.push(meter(s.spentTokens + s.reservedTokens, b.maxTokens, `${num(s.spentTokens)} of ${num(b.maxTokens)} tokens`));
    if (b.maxCost != null) parts.push(meter(Number(s.spentCost) + Number(s.reservedCost), Number(b.maxCost), `${money(s.spentCost)} of ${money(b.maxCost)}`));
    return h('span', { class: 'amounts' }, parts);
  }

  function meter(value, max, text) {
    return h('span', { class: 'amount' }, h('meter', { min: 0, max, value: Math.min(value, max), low: max * 0.75, high: max * 0.9, optimum: 0,
      'aria-label': text }), h('span', { class: 'small', text }));
  }

  function remaining(b) {
    if (b.subject === '*') return h('span', { class: 'muted', text: 'per subject' });
    const parts = [];
    if (b.maxTokens != null) parts.push(`${num(b.remainingTokens)} tokens`);
    if (b.maxCost != null) parts.push(money(b.remainingCost));
    return h('span', { text: parts.join(' · ') });
  }

  function edit(budget) {
    const scope = h('select', { name: 'scope' }, SCOPES.map(([value, text]) => h('option', { value, text })));
    const subject = h('input', { name: 'subject', maxlength: 128, autocomplete: 'off', spellcheck: 'false', required: true, placeholder: '* for each' });
    const period = h('select', { name: 'period' }, PERIODS.map(([value, text]) => h('option', { value, text })));
    const maxTokens = h('input', { name: 'maxTokens', type: 'number', min: 1, step: 1, placeholder: 'no token limit' });
    const maxCost = h('input', { name: 'maxCost', type: 'number', min: 0, step: 'any', placeholder: 'no cost limit' });
    const message = h('input', { name: 'message', maxlength: 500, autocomplete: 'off', placeholder: 'This group has used its AI quota for today.' });
    if (budget) {
      scope.value = budget.scope;
      subject.value = budget.subject;
      period.value = budget.period;
      maxTokens.value = budget.maxTokens ?? '';
      maxCost.value = budget.maxCost ?? '';
      message.value = budget.message ?? '';
    }
    const formError = h('div', { class: 'error-box', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'btn primary', text: budget ? 'Save budget' : 'Create budget' });
    const form = h('form', { class: 'form-grid', novalidate: true },
      h('div', { class: 'field-row' },
        field('Scope', scope),
        field('Subject', subject, { hint: 'A key id, user id or group id; * gives each its own budget.' }),
        field('Period', period)),
      h('div', { class: 'field-row' },
        field('Max tokens', maxTokens, { optional: true, hint: 'Prompt and completion together.' }),
        field('Max cost', maxCost, { optional: true, hint: 'In the currency of your prices.' })),
      field('Message', message, { optional: true, hint: 'What a refused request is told. Empty: a default naming the scope and period.' }),
      formError,
      h('div', { class: 'form-actions end' }, submit));
    const dialog = modal(budget ? `Edit ${label(budget)}` : 'New budget', form, { wide: true });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = { scope: scope.value, subject: subject.value.trim(), period: period.value,
        maxTokens: numberOrNull(maxTokens), maxCost: amountOrNull(maxCost), message: message.value.trim() || null };
      submit.disabled = true;
      try {
        const saved = budget ? await put(`/api/budgets/${seg(budget.id)}`, body) : await post('/api/budgets', body);
        dialog.close();
        toast(budget ? `${label(saved)} saved` : `${label(saved)} created`);
        await load();
      } catch (e) {
        showError(formError, e, 'The budget was not saved');
      } finally {
        submit.disabled = false;
      }
    });
    (budget ? maxTokens : subject).focus();
  }

  async function remove(budget) {
    const ok = await confirmDialog({ title: `Delete ${label(budget)}?`, confirm: 'Delete', danger: true,
      message: 'Its limit no longer applies, and what it counted is forgotten. Usage records stay.' });
    if (!ok) return;
    try {
      await del(`/api/budgets/${seg(budget.id)}`);
      toast(`${label(budget)} deleted`);
      await load();
    } catch (e) {
      showError(error, e, `Could not delete ${label(budget)}`);
    }
  }

  load();
  return {
    element,
    dispose() {
      state.disposed = true;
    },
  };
}
