// Keys: client keys for bots and apps. A new key is shown exactly once, with a copy button, and is
// dropped from the page (and from memory) as soon as it is dismissed; the list never holds a secret.
import { h, replace, timeAgo, num } from '../dom.js';
import { get, post, del, seg } from '../api.js';
import { field, button, showError, confirmDialog, toast, pageHeader, loading, empty, numberOrNull, copyText } from '../ui.js';
import { icon } from '../icons.js';

export function mount(root) {
  const state = { disposed: false };
  const name = h('input', { name: 'name', required: true, maxlength: 100, autocomplete: 'off', placeholder: 'e.g. qq-bot' });
  const userId = h('input', { name: 'userId', maxlength: 64, autocomplete: 'off', spellcheck: 'false', placeholder: 'any user' });
  const rate = h('input', { name: 'rateLimitPerMinute', type: 'number', min: 0, step: 1, placeholder: 'server default' });
  const createError = h('div', { class: 'error-box', role: 'alert', hidden: true });
  const secretRegion = h('div', { class: 'secret-region', 'aria-live': 'polite' });
  const listRegion = h('div', { class: 'table-region' }, loading());
  const listError = h('div', { class: 'error-box', role: 'alert', hidden: true });
  const createButton = h('button', { type: 'submit', class: 'btn primary' }, icon('plus', 16), h('span', { text: 'Create key' }));

  const form = h('form', { class: 'card create-key', novalidate: true, 'aria-labelledby': 'create-key-title' },
    h('h2', { id: 'create-key-title', text: 'New key' }),
    h('div', { class: 'field-row' },
      field('Name', name, { hint: 'Who uses it; shown in lists and usage.' }),
      field('Bound user ID', userId, { optional: true, hint: 'Only this user may chat with it and see their conversations.' }),
      field('Requests per minute', rate, { optional: true, hint: 'Its own limit; 0 means none.' })),
    createError,
    h('div', { class: 'form-actions end' }, createButton));

  replace(root,
    pageHeader('Keys', 'Client keys for your bots and apps. A key can chat and read conversations; only the admin key manages channels, presets and keys.'),
    form,
    secretRegion,
    h('section', { class: 'card', 'aria-labelledby': 'keys-title' },
      h('div', { class: 'card-head' }, h('h2', { id: 'keys-title', text: 'Active keys' })),
      listError,
      listRegion));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!name.value.trim()) {
      showError(createError, { message: 'Give the key a name, so you know later who uses it.' });
      name.focus();
      return;
    }
    const body = { name: name.value.trim() };
    if (userId.value.trim()) body.userId = userId.value.trim();
    if (numberOrNull(rate) !== null) body.rateLimitPerMinute = numberOrNull(rate);
    createButton.disabled = true;
    try {
      const created = await post('/api/keys', body);
      showError(createError, null);
      form.reset();
      showSecret(created);
      await load();
    } catch (error) {
      showError(createError, error, 'The key was not created');
    } finally {
      createButton.disabled = false;
    }
  });

  /** The one and only time the key is on screen. Dismissing it removes every trace from the page. */
  function showSecret(created) {
    const input = h('input', { class: 'mono secret', readonly: true, value: created.key, 'aria-label': `New key for ${created.name}`, spellcheck: 'false' });
    const copied = h('span', { class: 'muted small', role: 'status' });
    const done = button('I have saved it', { kind: 'primary', icon: 'check', onclick: () => {
      input.value = '';
      secretRegion.replaceChildren();
      name.focus();
    } });
    replace(secretRegion, h('div', { class: 'card secret-card', role: 'region', 'aria-label': 'New key' },
      h('h2', {}, icon('keys', 18), h('span', { text: `Key for ${created.name}` })),
      h('p', { text: 'Copy it now: it is shown this once. The server keeps only its hash and cannot show it again.' }),
      h('div', { class: 'secret-row' }, input,
        button('Copy', { icon: 'copy', onclick: async () => {
          copied.textContent = (await copyText(input.value, input)) ? 'Copied to the clipboard.' : 'Select the key and copy it by hand.';
        } })),
      h('p', { class: 'hint', text: `Use it as "Authorization: Bearer <key>". Id ${created.id}.` }),
      h('div', { class: 'form-actions end' }, copied, done)));
    input.focus();
    input.select();
  }

  async function load() {
    try {
      const keys = await get('/api/keys');
      if (state.disposed) return;
      showError(listError, null);
      if (keys.length === 0) {
        replace(listRegion, empty('No client keys', 'Create one for each bot or app, so each has its own limit and can be revoked alone.'));
        return;
      }
      replace(listRegion, h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, ['Name', 'Id', 'Bound user', 'Limit', 'Created', ''].map((t) =>
          h('th', { scope: 'col' }, t || h('span', { class: 'visually-hidden', text: 'Actions' }))))),
        h('tbody', {}, keys.map((k) => h('tr', {},
          h('th', { scope: 'row', 'data-label': 'Name', text: k.name }),
          h('td', { 'data-label': 'Id', class: 'mono small', text: k.id }),
          h('td', { 'data-label': 'Bound user', text: k.userId ?? 'any user' }),
          h('td', { 'data-label': 'Limit', text: k.rateLimitPerMinute == null ? 'server default' : k.rateLimitPerMinute === 0 ? 'none' : `${num(k.rateLimitPerMinute)}/min` }),
          h('td', { 'data-label': 'Created' }, timeAgo(k.createdAt)),
          h('td', { class: 'actions' }, button('Revoke', { icon: 'trash', kind: 'danger-text', 'aria-label': `Revoke ${k.name}`, onclick: () => revoke(k) })))))));
    } catch (error) {
      if (!state.disposed) showError(listError, error, 'Could not load the keys');
    }
  }

  async function revoke(key) {
    const ok = await confirmDialog({ title: `Revoke ${key.name}?`, confirm: 'Revoke', danger: true,
      message: 'Requests with this key are refused from now on. This cannot be undone; create a new key instead.' });
    if (!ok) return;
    try {
      await del(`/api/keys/${seg(key.id)}`);
      toast(`${key.name} revoked`);
      await load();
    } catch (error) {
      showError(listError, error, `Could not revoke ${key.name}`);
    }
  }

  load();
  return {
    dispose() {
      state.disposed = true;
      secretRegion.replaceChildren();
    },
  };
}
