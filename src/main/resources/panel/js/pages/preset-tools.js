// The preset editor's tools: which tools the preset offers (exact `<server>.<tool>` names or `<server>.*`),
// how many tool rounds a turn may take, and whether the first round must call one. A preset with no tools
// listed chats exactly as before. Known tools (GET /api/tools) are offered as suggestions; a name the server
// does not list right now may still be kept (its server may be down), and is flagged.
import { h, uid, replace } from '../dom.js';
import { field, button } from '../ui.js';

export const DEFAULT_ROUNDS = 8;
export const MAX_ROUNDS = 32;

/** Whether a preset's pattern covers a tool name, as the server reads patterns. */
export function covers(pattern, name) {
  return pattern.endsWith('.*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}

/** The tools part of the form for preset `p`; `known` is GET /api/tools (or null); `changed` marks the form dirty. */
export function presetTools(p, known, changed) {
  const patterns = [...(p.tools ?? [])];
  const listId = uid('tool-names');
  const picked = h('ul', { class: 'picked', 'aria-label': 'Tools this preset offers' });
  const input = h('input', { name: 'toolPattern', list: listId, spellcheck: 'false', autocomplete: 'off', placeholder: 'weather.* or search.web_search' });
  const servers = [...new Set((known ?? []).map((t) => t.server))].sort();
  const suggestions = h('datalist', { id: listId },
    servers.map((s) => h('option', { value: `${s}.*`, text: `every tool of ${s}` })),
    (known ?? []).map((t) => h('option', { value: t.name, text: t.description ?? '' })));
  const summary = h('p', { class: 'hint', role: 'status' });
  const rounds = h('input', { name: 'maxToolRounds', type: 'number', min: 0, max: MAX_ROUNDS, step: 1, value: p.maxToolRounds ?? DEFAULT_ROUNDS });
  const choice = h('select', { name: 'toolChoice' },
    h('option', { value: 'auto', text: 'The model decides', selected: (p.toolChoice ?? 'auto') === 'auto' }),
    h('option', { value: 'required', text: 'Must call a tool in the first round', selected: p.toolChoice === 'required' }));

  function render() {
    replace(picked, patterns.map((pattern) => h('li', {},
      h('span', { text: pattern }),
      button('', { icon: 'close', kind: 'ghost icon-only', label: `Remove ${pattern}`, onclick: () => {
        patterns.splice(patterns.indexOf(pattern), 1);
        render();
        changed();
        input.focus();
      } }))));
    if (patterns.length === 0) {
      summary.textContent = 'No tools: this preset chats without tools.';
      summary.classList.remove('warn');
      return;
    }
    if (!known) {
      summary.textContent = 'The list of known tools could not be read; the names are saved as written.';
      return;
    }
    const offered = known.filter((t) => t.enabled && patterns.some((pattern) => covers(pattern, t.name)));
    const unmatched = patterns.filter((pattern) => !known.some((t) => covers(pattern, t.name)));
    const off = known.filter((t) => !t.enabled && patterns.some((pattern) => covers(pattern, t.name)));
    summary.classList.toggle('warn', unmatched.length > 0);
    summary.textContent = [
      `Offers ${offered.length} tool${offered.length === 1 ? '' : 's'} now${offered.length ? `: ${offered.slice(0, 8).map((t) => t.name).join(', ')}${offered.length > 8 ? ', …' : ''}` : ''}.`,
      off.length ? `Switched off on the Tools page: ${off.map((t) => t.name).join(', ')}.` : '',
      unmatched.length ? `No tool listed now for ${unmatched.join(', ')} (its server may be down, or the name is wrong).` : '',
    ].filter(Boolean).join(' ');
  }

  function add() {
    const pattern = input.value.trim();
    if (!pattern) return;
    if (!patterns.includes(pattern)) {
      patterns.push(pattern);
      changed();
    }
    input.value = '';
    render();
    input.focus();
  }
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault(); // adds the name instead of saving the whole preset
      add();
    }
  });

  render();
  const element = h('section', { class: 'preview-box', 'aria-labelledby': `${listId}-title` },
    h('div', { class: 'preview-head' },
      h('h3', { id: `${listId}-title`, text: 'Tools' }),
      h('p', { class: 'hint', text: 'the model may call these during a turn; the server runs them' })),
    h('div', { class: 'tool-picker' },
      picked,
      h('div', { class: 'field' },
        h('label', { for: input.id = uid('tool-input'), text: 'Add a tool' }),
        h('div', { class: 'add-row' }, input, suggestions, button('Add', { icon: 'plus', onclick: add }))),
      summary),
    h('div', { class: 'field-row' },
      field('Tool rounds', rounds, { hint: `0-${MAX_ROUNDS}; after the last, the model answers without tools.` }),
      field('Tool choice', choice)));
  return {
    element,
    /** The fields for the preset's body; an empty list is sent as null (no tools, as a preset without them). */
    body() {
      const value = rounds.value.trim();
      return {
        tools: patterns.length ? [...patterns] : null,
        maxToolRounds: value === '' ? DEFAULT_ROUNDS : Number(value),
        toolChoice: choice.value,
      };
    },
  };
}
