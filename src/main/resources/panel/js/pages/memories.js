// Memories: what the bot remembers about one user (or a group), newest first or searched by meaning,
// with edit and delete, so an operator can answer "what do you know about me?" and correct or erase it.
import { h, replace, timeAgo, num } from '../dom.js';
import { get, post, put, del, seg, withQuery } from '../api.js';
import { field, button, showError, confirmDialog, toast, pageHeader, loading, empty, modal, pill } from '../ui.js';

const PAGE_SIZE = 20;

export function mount(root, { params, navigate }) {
  const state = { disposed: false, offset: 0, filter: { userId: params.userId, groupId: params.groupId, q: params.q } };
  const userId = h('input', { name: 'userId', maxlength: 64, autocomplete: 'off', spellcheck: 'false', placeholder: 'e.g. 123456789', value: params.userId ?? '' });
  const groupId = h('input', { name: 'groupId', maxlength: 64, autocomplete: 'off', spellcheck: 'false', placeholder: 'any group', value: params.groupId ?? '' });
  const query = h('input', { name: 'q', type: 'search', maxlength: 1000, autocomplete: 'off', placeholder: 'e.g. food they avoid', value: params.q ?? '' });
  const newText = h('textarea', { name: 'text', rows: 2, maxlength: 500, placeholder: 'e.g. The user is vegetarian' });
  const listRegion = h('div', { class: 'table-region' }, loading());
  const listError = h('div', { class: 'error-box', role: 'alert', hidden: true });
  const addError = h('div', { class: 'error-box', role: 'alert', hidden: true });

  const filters = h('form', { class: 'card filters', role: 'search', 'aria-label': 'Find memories' },
    h('div', { class: 'field-row' },
      field('User ID', userId, { optional: true, hint: 'Whose memories; empty lists everyone\'s.' }),
      field('Group ID', groupId, { optional: true }),
      field('Search by meaning', query, { optional: true, hint: 'Ranks memories by how close they are to this text.' })),
    h('div', { class: 'form-actions end' }, h('button', { type: 'submit', class: 'btn primary', text: 'Show memories' })));
  const addForm = h('form', { class: 'card', 'aria-labelledby': 'add-memory-title', novalidate: true },
    h('h2', { id: 'add-memory-title', text: 'Add a memory for this user' }),
    field('Memory', newText, { wide: true, hint: 'A short statement; keys, passwords and card, phone or ID numbers are refused.' }),
    addError,
    h('div', { class: 'form-actions end' }, h('button', { type: 'submit', class: 'btn', text: 'Add memory' })));

  replace(root,
    pageHeader('Memories', 'What presets with memory remember about users and groups. Everything here can be corrected or erased.'),
    filters,
    addForm,
    h('section', { class: 'card', 'aria-labelledby': 'memories-title' },
      h('div', { class: 'card-head' }, h('h2', { id: 'memories-title', text: 'Memories' })),
      listError,
      listRegion));

  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = {};
    if (userId.value.trim()) next.userId = userId.value.trim();
    if (groupId.value.trim()) next.groupId = groupId.value.trim();
    if (query.value.trim()) next.q = query.value.trim();
    state.filter = next;
    state.offset = 0;
    navigate('memories', next, { replace: true }); // refines this page: the URL follows, the page stays
    load();
  });

  addForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!userId.value.trim()) {
      showError(addError, { message: 'Enter the user ID above first: a memory belongs to one user.' });
      userId.focus();
      return;
    }
    const body = { userId: userId.value.trim(), text: newText.value };
    if (groupId.value.trim()) body.groupId = groupId.value.trim();
    try {
      await post('/api/memories', body);
      showError(addError, null);
      newText.value = '';
      toast('Memory added');
      await load();
    } catch (error) {
      showError(addError, error, 'The memory was not added');
    }
  });

  async function load() {
    try {
      const { filter } = state;
      const data = await get(withQuery('/api/memories', { userId: filter.userId, groupId: filter.groupId, q: filter.q,
        limit: PAGE_SIZE, offset: state.offset }));
      if (state.disposed) return;
      showError(listError, null);
      if (data.memories.length === 0) {
        replace(listRegion, empty('No memories', filter.userId ? 'Nothing is remembered about this user yet.' : 'Presets with memory fill this as users chat.'));
        return;
      }
      const searched = Boolean(filter.q);
      replace(listRegion,
        h('p', { class: 'muted small', text: `${num(data.total)} ${searched ? 'ranked by relevance' : 'memories, newest first'}` }),
        h('table', { class: 'table' },
          h('thead', {}, h('tr', {}, ['Memory', 'User', 'Group', searched ? 'Relevance' : 'Source', 'Updated', ''].map((t) =>
            h('th', { scope: 'col' }, t || h('span', { class: 'visually-hidden', text: 'Actions' }))))),
          h('tbody', {}, data.memories.map((m) => h('tr', {},
            h('th', { scope: 'row', 'data-label': 'Memory', text: m.text }),
            h('td', { 'data-label': 'User', class: 'mono small', text: m.userId ?? 'whole group' }),
            h('td', { 'data-label': 'Group', class: 'mono small', text: m.groupId ?? 'private' }),
            h('td', { 'data-label': searched ? 'Relevance' : 'Source' }, searched ? h('span', { text: m.score.toFixed(2) }) : pill(m.source, m.source === 'manual' ? 'info' : '')),
            h('td', { 'data-label': 'Updated' }, timeAgo(m.updatedAt)),
            h('td', { class: 'actions' },
              button('Edit', { icon: 'edit', kind: 'ghost', 'aria-label': `Edit memory: ${m.text}`, onclick: () => edit(m) }),
              button('Delete', { icon: 'trash', kind: 'danger-text', 'aria-label': `Delete memory: ${m.text}`, onclick: () => remove(m) })))))),
        pager(data.total));
    } catch (error) {
      if (!state.disposed) showError(listError, error, 'Could not load the memories');
    }
  }

  function pager(total) {
    if (total <= PAGE_SIZE) return h('span', {});
    const go = (offset) => { state.offset = offset; load(); };
    return h('div', { class: 'form-actions end' },
      button('Newer', { disabled: state.offset === 0, onclick: () => go(Math.max(0, state.offset - PAGE_SIZE)) }),
      button('Older', { disabled: state.offset + PAGE_SIZE >= total, onclick: () => go(state.offset + PAGE_SIZE) }));
  }

  function edit(memory) {
    const text = h('textarea', { name: 'text', rows: 3, maxlength: 500, value: memory.text });
    text.value = memory.text;
    const error = h('div', { class: 'error-box', role: 'alert', hidden: true });
    const form = h('form', { novalidate: true }, field('Memory', text, { wide: true }), error,
      h('div', { class: 'form-actions end' }, h('button', { type: 'submit', class: 'btn primary', text: 'Save memory' })));
    const dialog = modal('Edit memory', form);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await put(`/api/memories/${seg(memory.id)}`, { text: text.value });
        dialog.close();
        toast('Memory saved');
        await load();
      } catch (failure) {
        showError(error, failure, 'The memory was not saved');
      }
    });
    text.focus();
  }

  async function remove(memory) {
    const ok = await confirmDialog({ title: 'Delete this memory?', confirm: 'Delete', danger: true,
      message: `"${memory.text}" is forgotten at once; the bot will not recall it again.` });
    if (!ok) return;
    try {
      await del(`/api/memories/${seg(memory.id)}`);
      toast('Memory deleted');
      await load();
    } catch (error) {
      showError(listError, error, 'Could not delete the memory');
    }
  }

  load();
  return { dispose() { state.disposed = true; } };
}
