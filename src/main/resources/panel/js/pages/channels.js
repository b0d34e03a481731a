// Channels: the upstream LLM endpoints with their live state (healthy, cooling until a time, disabled),
// add and edit them, switch them on and off, and test one with a real call. Keys only ever appear
// masked, as the API returns them; sending a masked key back keeps the stored key it stands for.
import { h, replace, keepFocus, clockTime, countdown, num } from '../dom.js';
import { get, post, put, del, seg } from '../api.js';
import { field, checkbox, button, showError, confirmDialog, toast, pageHeader, loading, empty, modal, pill, numberOrNull } from '../ui.js';
import { icon } from '../icons.js';

const TYPES = [
  { value: 'openai', label: 'OpenAI-compatible', baseUrl: 'https://api.openai.com/v1' },
  { value: 'anthropic', label: 'Anthropic', baseUrl: 'https://api.anthropic.com' },
  { value: 'gemini', label: 'Google Gemini', baseUrl: 'https://generativelanguage.googleapis.com' },
  { value: 'local', label: 'Local GGUF model', baseUrl: '' },
];
const REFRESH_MS = 5000;

export function mount(root) {
  const state = { channels: null, shown: '', tests: new Map(), disposed: false, timer: null, ticker: null };
  const listRegion = h('div', { class: 'channel-list', 'aria-live': 'off' }, loading());
  const pageError = h('div', { class: 'error-box', role: 'alert', hidden: true });

  replace(root,
    pageHeader('Channels', 'Upstream endpoints the server routes chats to, highest priority first, failing over when one breaks.',
      button('Add channel', { icon: 'plus', kind: 'primary', onclick: () => edit(null) })),
    pageError,
    listRegion);

  async function load() {
    try {
      const channels = await get('/api/channels');
      if (state.disposed) return;
      state.channels = channels;
      showError(pageError, null);
      // The periodic refresh redraws only when something changed, so focus and reading stay put.
      const shown = JSON.stringify([channels, [...state.tests]]);
      if (shown !== state.shown) {
        state.shown = shown;
        keepFocus(listRegion, render);
      }
    } catch (error) {
      if (!state.disposed) showError(pageError, error, 'Could not load the channels');
    }
  }

  function render() {
    if (!state.channels) return;
    if (state.channels.length === 0) {
      replace(listRegion, empty('No channels yet', 'Add one: any OpenAI-compatible endpoint works (OpenAI, DeepSeek, vLLM, Ollama\'s /v1), as do Anthropic and Gemini.',
        button('Add channel', { icon: 'plus', kind: 'primary', onclick: () => edit(null) })));
      return;
    }
    replace(listRegion, h('ul', { class: 'cards' }, state.channels.map(card)));
  }

  function stateOf(channel) {
    if (channel.state === 'cooling' && channel.coolingUntil) {
      return h('span', { class: 'state-line' }, pill('Cooling', 'cooling'),
        h('span', { class: 'muted small', dataset: { until: channel.coolingUntil } },
          `until ${clockTime(channel.coolingUntil)} (${countdown(channel.coolingUntil - Date.now())} left)`));
    }
    if (channel.state === 'disabled') return pill('Disabled', 'disabled');
    return pill(channel.state === 'healthy' ? 'Healthy' : channel.state, channel.state === 'healthy' ? 'healthy' : 'cooling');
  }

  function card(channel) {
    const type = TYPES.find((t) => t.value === channel.type);
    const result = state.tests.get(channel.id);
    const titleId = `channel-${channel.id}`;
    return h('li', { class: 'card channel', 'aria-labelledby': titleId },
      h('div', { class: 'channel-head' },
        h('div', { class: 'channel-title' },
          h('h2', { id: titleId, text: channel.name }),
          h('span', { class: 'tag', text: type?.label ?? channel.type })),
        stateOf(channel)),
      h('dl', { class: 'facts' },
        fact('Endpoint', channel.type === 'local' ? (channel.modelPath ?? '–') : (channel.baseUrl ?? '–'), 'mono'),
        fact('Models', h('span', { class: 'chips' }, channel.models.map((m) => h('span', { class: 'chip', text: m })))),
        fact('Keys', channel.apiKeys.length
          ? h('span', { class: 'chips' }, channel.apiKeys.map((k) => h('span', { class: 'chip mono', text: k })))
          : h('span', { class: 'muted', text: 'none' })),
        fact('Priority · weight', `${channel.priority} · ${channel.weight}`),
        fact('Timeout', `${num(channel.timeoutMs / 1000)} s`),
        channel.proxy ? fact('Proxy', channel.proxy, 'mono') : null,
        channel.consecutiveFailures ? fact('Failures in a row', num(channel.consecutiveFailures)) : null,
        channel.refusedKeys ? fact('Refused keys', `${channel.refusedKeys} (out of rotation until the channel is edited)`) : null),
      h('div', { class: 'channel-foot' },
        h('div', { class: 'test-result', role: 'status' }, result ? testResult(result) : null),
        h('div', { class: 'row-actions' },
          button('Test', { icon: 'play', dataset: { focus: `test-${channel.id}` }, 'aria-describedby': titleId, onclick: () => test(channel) }),
          button('Edit', { icon: 'edit', dataset: { focus: `edit-${channel.id}` }, 'aria-describedby': titleId, onclick: () => edit(channel) }),
          button(channel.enabled ? 'Disable' : 'Enable', { icon: 'power', dataset: { focus: `toggle-${channel.id}` }, 'aria-describedby': titleId,
            onclick: () => toggle(channel) }),
          button('Delete', { icon: 'trash', kind: 'danger-text', 'aria-describedby': titleId, onclick: () => remove(channel) }))));
  }

  function fact(label, value, kind) {
    return h('div', {}, h('dt', { text: label }), h('dd', { class: kind ?? null }, value));
  }

  function testResult(result) {
    if (result.pending) return h('span', { class: 'muted' }, 'Testing…');
    if (result.ok) {
      return h('span', { class: 'test ok' }, icon('check', 16),
        h('span', {}, h('strong', { text: `OK in ${num(result.latencyMs)} ms` }), ` · ${result.model}`));
    }
    return h('span', { class: 'test failed' }, icon('alert', 16),
      h('span', {}, h('strong', { text: `Failed after ${num(result.latencyMs)} ms` }), ` · ${result.model}: `, result.error ?? result.message));
  }

  async function test(channel) {
    state.tests.set(channel.id, { pending: true });
    state.shown = '';
    keepFocus(listRegion, render);
    try {
      state.tests.set(channel.id, await post(`/api/channels/${seg(channel.id)}/test`));
    } catch (error) {
      state.tests.set(channel.id, { ok: false, latencyMs: 0, model: '', error: `${error.message} (${error.code})` });
    }
    await load(); // a successful test heals a cooling channel
  }

  async function toggle(channel) {
    try {
      await put(`/api/channels/${seg(channel.id)}`, { enabled: !channel.enabled });
      toast(`${channel.name} ${channel.enabled ? 'disabled' : 'enabled'}`);
      await load();
    } catch (error) {
      showError(pageError, error, `Could not change ${channel.name}`);
    }
  }

  async function remove(channel) {
    const ok = await confirmDialog({ title: `Delete ${channel.name}?`, confirm: 'Delete', danger: true,
      message: 'Chats stop using it at once. Its usage records keep its name.' });
    if (!ok) return;
    try {
      await del(`/api/channels/${seg(channel.id)}`);
      state.tests.delete(channel.id);
      toast(`${channel.name} deleted`);
      await load();
    } catch (error) {
      showError(pageError, error, `Could not delete ${channel.name}`);
    }
  }

  function edit(channel) {
    const creating = channel === null;
    const c = channel ?? { type: 'openai', baseUrl: TYPES[0].baseUrl, apiKeys: [], models: ['*'], modelMapping: {}, priority: 0,
      weight: 1, timeoutMs: 60000, enabled: true, headers: {}, proxy: null };
    const name = h('input', { name: 'name', required: true, maxlength: 100, value: c.name ?? '', autocomplete: 'off' });
    const type = h('select', { name: 'type' }, TYPES.map((t) => h('option', { value: t.value, text: t.label, selected: t.value === c.type })));
    const baseUrl = h('input', { name: 'baseUrl', type: 'url', value: c.baseUrl ?? '', spellcheck: 'false', autocomplete: 'off' });
    const modelPath = h('input', { name: 'modelPath', value: c.modelPath ?? '', spellcheck: 'false', autocomplete: 'off' });
    const keys = h('textarea', { name: 'apiKeys', rows: 3, spellcheck: 'false', autocomplete: 'off', class: 'mono' });
    keys.value = c.apiKeys.join('\n');
    const models = h('input', { name: 'models', value: c.models.join(', '), spellcheck: 'false' });
    const mapping = h('textarea', { name: 'modelMapping', rows: 2, spellcheck: 'false', class: 'mono' });
    mapping.value = Object.entries(c.modelMapping ?? {}).map(([from, to]) => `${from} = ${to}`).join('\n');
    const priority = h('input', { name: 'priority', type: 'number', step: 1, value: c.priority });
    const weight = h('input', { name: 'weight', type: 'number', min: 1, step: 1, value: c.weight });
    const timeout = h('input', { name: 'timeoutMs', type: 'number', min: 100, step: 100, value: c.timeoutMs });
    const proxy = h('input', { name: 'proxy', value: c.proxy ?? '', placeholder: 'http://host:port', spellcheck: 'false' });
    const headers = h('textarea', { name: 'headers', rows: 2, spellcheck: 'false', class: 'mono' });
    headers.value = Object.entries(c.headers ?? {}).map(([k, v]) => `${k}: ${v}`).join('\n');
    const enabled = checkbox('Enabled: chats may use this channel', { name: 'enabled', checked: c.enabled });
    const formError = h('div', { class: 'error-box', role: 'alert', hidden: true });
    const save = h('button', { type: 'submit', class: 'btn primary', text: creating ? 'Add channel' : 'Save changes' });

    const remote = [
      field('Base URL', baseUrl, { hint: 'Where the provider\'s API lives, e.g. http://127.0.0.1:11434/v1 for Ollama.' }),
      field('API keys', keys, { hint: creating ? 'One per line; several keys rotate. Leave empty for a keyless server.'
        : 'One per line. Stored keys show masked: keep a masked line to keep that key, delete the line to remove it.' }),
    ];
    const local = field('Model file', modelPath, { hint: 'Path of a GGUF file on the server.' });
    const syncType = () => {
      const isLocal = type.value === 'local';
      for (const f of remote) f.hidden = isLocal;
      local.hidden = !isLocal;
    };
    type.addEventListener('change', () => {
      const known = TYPES.map((t) => t.baseUrl);
      if (!baseUrl.value || known.includes(baseUrl.value)) baseUrl.value = TYPES.find((t) => t.value === type.value).baseUrl;
      syncType();
    });

    const form = h('form', { class: 'form-grid', novalidate: true },
      field('Name', name, { hint: 'Shown in logs, usage and errors.' }),
      field('Type', type),
      remote, local,
      field('Models', models, { hint: 'Comma separated; * serves any model.' }),
      field('Model mapping', mapping, { optional: true, hint: 'One per line: requested = sent upstream.' }),
      h('div', { class: 'field-row' },
        field('Priority', priority, { hint: 'Higher first.' }),
        field('Weight', weight, { hint: 'Share within a priority.' }),
        field('Timeout (ms)', timeout, { hint: 'First byte and gaps.' })),
      field('Proxy', proxy, { optional: true }),
      field('Extra headers', headers, { optional: true, hint: 'One per line: Name: value. Values show masked once saved.' }),
      enabled.element,
      formError,
      h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', text: 'Cancel', onclick: () => dialog.close() }), save));
    syncType();

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      let body;
      try {
        body = {
          name: name.value.trim(),
          type: type.value,
          models: models.value.split(/[\s,]+/).filter(Boolean),
          modelMapping: pairs(mapping.value, '=', 'model mapping'),
          priority: numberOrNull(priority) ?? 0,
          weight: numberOrNull(weight) ?? 1,
          timeoutMs: numberOrNull(timeout) ?? 60000,
          enabled: enabled.input.checked,
          proxy: proxy.value.trim() || null,
          headers: pairs(headers.value, ':', 'headers'),
        };
        if (type.value === 'local') {
          body.modelPath = modelPath.value.trim() || null;
        } else {
          if (baseUrl.value.trim()) body.baseUrl = baseUrl.value.trim(); // empty keeps the type's default (or the stored URL)
          body.apiKeys = keys.value.split('\n').map((k) => k.trim()).filter(Boolean);
        }
      } catch (error) {
        showError(formError, error);
        return;
      }
      save.disabled = true;
      try {
        const saved = creating ? await post('/api/channels', body) : await put(`/api/channels/${seg(c.id)}`, body);
        dialog.close();
        toast(creating ? `${saved.name} added` : `${saved.name} saved`);
        await load();
        listRegion.querySelector(`[data-focus="test-${CSS.escape(saved.id)}"]`)?.focus();
      } catch (error) {
        showError(formError, error, creating ? 'The channel was not added' : 'The changes were not saved');
      } finally {
        save.disabled = false;
      }
    });
    const dialog = modal(creating ? 'Add a channel' : `Edit ${c.name}`, form, { wide: true });
    name.focus();
  }

  /** "a = b" lines into an object; a line without the separator is a mistake worth saying. */
  function pairs(text, separator, what) {
    const result = {};
    for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
      const at = line.indexOf(separator);
      if (at <= 0) throw { message: `Each line of ${what} needs "name ${separator} value": "${line}"`, code: 'INVALID_INPUT' };
      result[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    return result;
  }

  /** Countdowns tick every second without a request; the list itself refreshes every few seconds. */
  function tick() {
    for (const el of listRegion.querySelectorAll('[data-until]')) {
      const until = Number(el.dataset.until);
      el.textContent = `until ${clockTime(until)} (${countdown(until - Date.now())} left)`;
    }
  }

  load();
  state.timer = setInterval(() => { if (!document.hidden && !document.querySelector('dialog[open]')) load(); }, REFRESH_MS);
  state.ticker = setInterval(tick, 1000);
  return {
    dispose() {
      state.disposed = true;
      clearInterval(state.timer);
      clearInterval(state.ticker);
    },
  };
}
