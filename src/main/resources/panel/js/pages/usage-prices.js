// The price table on the Usage page: glob patterns per model with prices per million tokens, matched in
// order (the first pattern that matches a model wins), so rows can be moved. Saving replaces the whole
// table on the server; every call from then on is priced with it, earlier calls keep their cost.
import { h, replace, uid } from '../dom.js';
import { get, put } from '../api.js';
import { button, showError, toast, loading, empty } from '../ui.js';
import { icon } from '../icons.js';
import { amountOrNull } from './money.js';

export function pricesSection() {
  let rows = [];
  const region = h('div', { class: 'table-region' }, loading());
  const error = h('div', { class: 'error-box', role: 'alert', hidden: true });
  const save = h('button', { type: 'submit', class: 'btn primary' }, icon('check', 16), h('span', { text: 'Save prices' }));
  const add = button('Add a price', { icon: 'plus', onclick: () => {
    rows.push(row({}));
    render();
    rows.at(-1).model.focus();
  } });
  const form = h('form', { class: 'prices', novalidate: true, 'aria-labelledby': 'prices-title' }, region, error,
    h('div', { class: 'form-actions' }, add, save));
  const element = h('section', { class: 'card', 'aria-labelledby': 'prices-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'prices-title', text: 'Prices' })),
    h('p', { class: 'hint', text: 'Per million tokens, in one currency of your choice. A model takes the first row whose pattern matches '
      + 'it (* any characters, ? one, case ignored). Each call is priced when it is made; changing a price does not change past costs.' }),
    form);

  /** One editable row; its inputs keep what was typed while rows move. */
  function row(price) {
    const id = uid('price');
    const number = (name, value, label) => h('input', { type: 'number', min: 0, step: 'any', inputmode: 'decimal', name,
      value: value ?? '', 'aria-label': label, dataset: { row: id } });
    const model = h('input', { name: 'model', maxlength: 128, autocomplete: 'off', spellcheck: 'false', value: price.model ?? '',
      placeholder: 'e.g. gpt-4o*', class: 'mono', 'aria-label': 'Model pattern' });
    const r = { id, model, input: number('inputPerMTok', price.inputPerMTok, 'Input per million tokens'),
      output: number('outputPerMTok', price.outputPerMTok, 'Output per million tokens'),
      cached: number('cachedInputPerMTok', price.cachedInputPerMTok, 'Cached input per million tokens (optional)') };
    // The accessible names follow the pattern typed, so each row's fields and buttons say which model they are for.
    const rename = () => {
      const position = rows.indexOf(r) + 1;
      const what = model.value.trim() || `row ${position}`;
      model.setAttribute('aria-label', `Model pattern of row ${position}`);
      r.input.setAttribute('aria-label', `${what}: input per million tokens`);
      r.output.setAttribute('aria-label', `${what}: output per million tokens`);
      r.cached.setAttribute('aria-label', `${what}: cached input per million tokens`);
      for (const [name, text] of [['up', `Move ${what} up`], ['down', `Move ${what} down`], ['remove', `Remove ${what}`]]) {
        r.buttons?.[name]?.setAttribute('aria-label', text);
        r.buttons?.[name]?.setAttribute('title', text);
      }
    };
    model.addEventListener('input', rename);
    r.rename = rename;
    return r;
  }

  function move(r, by) {
    const i = rows.indexOf(r);
    const j = i + by;
    if (j < 0 || j >= rows.length) return;
    [rows[i], rows[j]] = [rows[j], rows[i]];
    render();
    // Keep the keyboard on the row that moved (its buttons were drawn anew).
    const next = r.buttons[by < 0 ? 'up' : 'down'];
    (next.disabled ? r.buttons[by < 0 ? 'down' : 'up'] : next).focus();
  }

  function render() {
    if (rows.length === 0) {
      replace(region, empty('No prices yet', 'Without a price a call has no cost, and cost budgets do not count it.'));
      return;
    }
    replace(region, h('table', { class: 'table compact price-table' },
      h('thead', {}, h('tr', {}, ['Model pattern', 'Input', 'Output', 'Cached input', ''].map((x) =>
        h('th', { scope: 'col' }, x || h('span', { class: 'visually-hidden', text: 'Order' }))))),
      h('tbody', {}, rows.map((r, i) => {
        r.buttons = {
          up: button('', { icon: 'up', kind: 'ghost icon-only', label: 'Move up', disabled: i === 0, onclick: () => move(r, -1) }),
          down: button('', { icon: 'down', kind: 'ghost icon-only', label: 'Move down', disabled: i === rows.length - 1, onclick: () => move(r, 1) }),
          remove: button('', { icon: 'trash', kind: 'ghost icon-only danger-text', label: 'Remove', onclick: () => {
            rows.splice(rows.indexOf(r), 1);
            render();
          } }),
        };
        r.rename();
        return h('tr', {},
          h('td', { 'data-label': 'Model pattern' }, r.model),
          h('td', { 'data-label': 'Input' }, r.input),
          h('td', { 'data-label': 'Output' }, r.output),
          h('td', { 'data-label': 'Cached input' }, r.cached),
          h('td', { class: 'actions nowrap' }, r.buttons.up, r.buttons.down, r.buttons.remove));
      }))));
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const table = rows.map((r) => {
      const price = { model: r.model.value.trim(), inputPerMTok: amountOrNull(r.input), outputPerMTok: amountOrNull(r.output) };
      if (amountOrNull(r.cached) !== null) price.cachedInputPerMTok = amountOrNull(r.cached);
      return price;
    });
    save.disabled = true;
    try {
      show(await put('/api/prices', table));
      showError(error, null);
      toast('Prices saved');
    } catch (e) {
      showError(error, e, 'The prices were not saved');
    } finally {
      save.disabled = false;
    }
  });

  function show(table) {
    rows = table.map(row);
    render();
  }

  get('/api/prices').then(show, (e) => showError(error, e, 'Could not load the prices'));
  return { element };
}
