// Conversations: search every stored conversation by user and group, page through them (newest first),
// read one, and clear or delete it. The filters, the page and the open conversation live in the URL
// (#/conversations?userId=..&offset=..&id=..), so the back button and a shared link work.
import { h, replace, timeAgo, dateTime, num } from '../dom.js';
import { get, post, del, withQuery, seg } from '../api.js';
import { field, button, showError, confirmDialog, toast, pageHeader, loading, empty } from '../ui.js';
import { historyBubbles } from './chat-steps.js';

const PAGE_SIZE = 20;

export function mount(root, { params, navigate }) {
  const state = { params, disposed: false, page: null, loads: 0 };
  let shownList = null; // the filters and offset the table shows
  const userInput = h('input', { name: 'userId', maxlength: 64, autocomplete: 'off', spellcheck: 'false', placeholder: 'any user' });
  const groupInput = h('input', { name: 'groupId', maxlength: 64, autocomplete: 'off', spellcheck: 'false', placeholder: 'any group' });
  const tableRegion = h('div', { class: 'table-region' }, loading());
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  const reader = h('section', { class: 'card reader', 'aria-label': 'Conversation' });
  const listError = h('div', { class: 'error-box', role: 'alert', hidden: true });
  const summary = h('p', { class: 'muted result-summary', role: 'status' });

  const filters = h('form', { class: 'filter-bar', role: 'search', onsubmit: (e) => {
    e.preventDefault();
    go({ userId: userInput.value.trim(), groupId: groupInput.value.trim(), offset: 0 }, { reload: true });
  } },
  field('User ID', userInput),
  field('Group ID', groupInput),
  h('div', { class: 'filter-actions' },
    h('button', { type: 'submit', class: 'btn primary', text: 'Search' }),
    button('Reset', { onclick: () => go({}, { reload: true }) })));

  replace(root,
    pageHeader('Conversations', 'Every stored conversation, newest first. Open one to read it.'),
    filters,
    h('div', { class: 'split conversations' },
      h('section', { class: 'card', 'aria-label': 'Results' }, summary, listError, tableRegion, pager),
      reader));

  function current() {
    const p = state.params;
    return { userId: p.get('userId') ?? '', groupId: p.get('groupId') ?? '', offset: Math.max(0, Number(p.get('offset') ?? 0) || 0), id: p.get('id') ?? '' };
  }

  /** Puts the state into the URL; the router then calls update(). `reload` refetches the list even if unchanged. */
  function go(next, { replace: replaceEntry = false, reload = false } = {}) {
    if (reload) shownList = null;
    const before = location.hash;
    navigate('conversations', { userId: next.userId, groupId: next.groupId, offset: next.offset || null, id: next.id }, { replace: replaceEntry });
    // No hashchange comes for a replaced entry or an unchanged hash: update by hand.
    if (replaceEntry || location.hash === before) update(new URLSearchParams(location.hash.split('?')[1] ?? ''));
  }

  async function loadList() {
    const { userId, groupId, offset } = current();
    userInput.value = userId;
    groupInput.value = groupId;
    const load = ++state.loads;
    tableRegion.setAttribute('aria-busy', 'true');
    try {
      const page = await get(withQuery('/api/conversations', { userId, groupId, limit: PAGE_SIZE, offset }));
      if (state.disposed || load !== state.loads) return; // a newer search is on its way
      state.page = page;
      showError(listError, null);
      renderTable();
    } catch (error) {
      if (!state.disposed) showError(listError, error, 'Could not search the conversations');
    } finally {
      tableRegion.setAttribute('aria-busy', 'false');
    }
  }

  function renderTable() {
    const { offset, id } = current();
    const { conversations, total } = state.page;
    summary.textContent = total === 0 ? 'No conversation matches.'
      : `${num(offset + 1)}–${num(offset + conversations.length)} of ${num(total)} conversations`;
    if (conversations.length === 0) {
      replace(tableRegion, empty('Nothing here', offset > 0 ? 'This page is past the end.' : 'Conversations appear once a user chats.'));
    } else {
      replace(tableRegion, h('table', { class: 'table' },
        h('thead', {}, h('tr', {},
          [['User · group'], ['Messages', 'num'], ['Last message'], ['Updated']].map(([t, cls]) => h('th', { scope: 'col', class: cls ?? null, text: t })))),
        h('tbody', {}, conversations.map((c) => h('tr', { class: c.id === id ? 'selected' : null },
          h('td', { 'data-label': 'User · group', class: 'nowrap' },
            h('a', { href: hrefFor({ ...current(), id: c.id }), 'aria-current': c.id === id ? 'true' : null, class: 'row-link', text: c.userId }),
            h('span', { class: 'muted small block', text: c.groupId ?? 'private chat' })),
          h('td', { 'data-label': 'Messages', class: 'num', text: num(c.messageCount) }),
          h('td', { 'data-label': 'Last message', class: 'truncate', text: c.lastMessage ?? '–' }),
          h('td', { 'data-label': 'Updated', class: 'nowrap' }, timeAgo(c.updatedAt)))))));
    }
    const previous = Math.max(0, offset - PAGE_SIZE);
    const hasPrevious = offset > 0;
    const hasNext = offset + PAGE_SIZE < total;
    replace(pager,
      hasPrevious ? h('a', { class: 'btn', href: hrefFor({ ...current(), offset: previous, id: '' }), text: '← Newer' }) : h('span', { class: 'btn disabled', 'aria-disabled': 'true', text: '← Newer' }),
      h('span', { class: 'muted small', text: total ? `Page ${Math.floor(offset / PAGE_SIZE) + 1} of ${Math.max(1, Math.ceil(total / PAGE_SIZE))}` : '' }),
      hasNext ? h('a', { class: 'btn', href: hrefFor({ ...current(), offset: offset + PAGE_SIZE, id: '' }), text: 'Older →' }) : h('span', { class: 'btn disabled', 'aria-disabled': 'true', text: 'Older →' }));
  }

  function hrefFor({ userId, groupId, offset, id }) {
    const query = withQuery('', { userId, groupId, offset: offset || null, id });
    return `#/conversations${query}`;
  }

  async function loadConversation() {
    const { id } = current();
    if (!id) {
      replace(reader, empty('No conversation open', 'Pick one from the list to read it.'));
      return;
    }
    replace(reader, loading());
    try {
      const c = await get(`/api/conversations/${seg(id)}?include=tools`); // tool steps inside their answers, as in the chat
      if (state.disposed || current().id !== id) return;
      const actionsError = h('div', { class: 'error-box', role: 'alert', hidden: true });
      replace(reader,
        h('div', { class: 'reader-head' },
          h('div', {},
            h('h2', { text: c.groupId ? `${c.userId} in ${c.groupId}` : `${c.userId}, private chat` }),
            h('p', { class: 'muted small mono', text: c.id })),
          h('div', { class: 'row-actions' },
            button('Open in chat', { icon: 'open', onclick: () => navigate('chat', { userId: c.userId, groupId: c.groupId, conversationId: c.id }) }),
            button('Clear', { icon: 'eraser', onclick: () => clear(c, actionsError) }),
            button('Delete', { icon: 'trash', kind: 'danger-text', onclick: () => remove(c, actionsError) }))),
        h('dl', { class: 'facts inline' },
          h('div', {}, h('dt', { text: 'Preset' }), h('dd', { text: c.preset ?? '–' })),
          h('div', {}, h('dt', { text: 'Messages' }), h('dd', { text: num(c.messageCount) })),
          h('div', {}, h('dt', { text: 'Started' }), h('dd', { text: dateTime(c.createdAt) })),
          h('div', {}, h('dt', { text: 'Updated' }), h('dd', { text: dateTime(c.updatedAt) }))),
        actionsError,
        c.messages.length === 0
          ? empty('No messages', 'Its context was cleared; the next turn starts fresh.')
          : h('div', { class: 'messages', role: 'list' }, historyBubbles(c.messages, (m) => h('article', { class: `bubble ${m.role}` },
            h('header', { class: 'bubble-head' }, h('span', { class: 'who', text: m.role === 'user' ? c.userId : m.role === 'assistant' ? 'Assistant' : m.role }),
              stamp(m.timestamp)),
            h('div', { class: 'bubble-text', text: m.content })), stamp).map((bubble) => {
            bubble.setAttribute('role', 'listitem');
            return bubble;
          })));
    } catch (error) {
      if (state.disposed) return;
      const box = h('div', { class: 'error-box', role: 'alert' });
      replace(reader, box);
      showError(box, error, 'Could not open the conversation');
    }
  }

  function stamp(millis) {
    return h('time', { datetime: new Date(millis).toISOString(), text: dateTime(millis) });
  }

  async function clear(c, region) {
    const ok = await confirmDialog({ title: 'Clear this conversation?', confirm: 'Clear',
      message: `All ${c.messageCount} messages are removed; the conversation keeps its id, and the next turn starts with no history.` });
    if (!ok) return;
    try {
      await post(`/api/conversations/${seg(c.id)}/clear`);
      toast('Conversation cleared');
      shownList = null;
      update(state.params);
    } catch (error) {
      showError(region, error, 'Could not clear it');
    }
  }

  async function remove(c, region) {
    const ok = await confirmDialog({ title: 'Delete this conversation?', confirm: 'Delete', danger: true,
      message: 'The conversation and its messages are deleted for good.' });
    if (!ok) return;
    try {
      await del(`/api/conversations/${seg(c.id)}`);
      toast('Conversation deleted');
      go({ ...current(), id: '' }, { replace: true, reload: true });
    } catch (error) {
      showError(region, error, 'Could not delete it');
    }
  }

  function update(next) {
    state.params = next;
    const { userId, groupId, offset } = current();
    const listKey = `${userId}|${groupId}|${offset}`;
    // Opening a conversation keeps the list; changing filters or page reloads it.
    if (listKey !== shownList || !state.page) {
      shownList = listKey;
      loadList();
    } else {
      renderTable();
    }
    loadConversation();
  }

  update(params);
  return {
    update,
    dispose() {
      state.disposed = true;
    },
  };
}
