// Tools: the MCP servers whose tools presets may offer to the model, with their live state (connected, or the
// error and what to do about it), and every tool they list with a switch each. Header and env values are
// secrets: reads show them masked, the form never fills one in, and an untouched one keeps the stored value.
import { h, replace, keepFocus, num } from '../dom.js';
import { get, post, put, del, seg } from '../api.js';
import { button, showError, confirmDialog, toast, pageHeader, loading, empty, pill } from '../ui.js';
import { icon } from '../icons.js';
import { editServer, importServers } from './tool-server-form.js';

const REFRESH_MS = 5000;
const STATES = {
  connected: ['Connected', 'healthy'],
  error: ['Error', 'failed'],
  connecting: ['Connecting', 'cooling'],
  disabled: ['Disabled', 'disabled'],
};

export function mount(root) {
  const state = { servers: null, tools: null, options: null, shown: '', busy: new Set(), disposed: false, timer: null };
  const serverRegion = h('div', { class: 'server-list' }, loading());
  const toolRegion = h('div', { class: 'table-region' }, loading());
  const pageError = h('div', { class: 'error-box', role: 'alert', hidden: true });
  const toolError = h('div', { class: 'error-box', role: 'alert', hidden: true });
  const filter = h('input', { type: 'search', name: 'toolFilter', placeholder: 'Filter by name, server or description', autocomplete: 'off',
    'aria-label': 'Filter tools', oninput: () => renderTools() });

  replace(root,
    pageHeader('Tools', 'MCP servers whose tools a preset may offer to the model; the server runs the calls inside the chat turn.',
      button('Import', { icon: 'open', onclick: () => importServers(state.options, afterSave) }),
      button('Add server', { icon: 'plus', kind: 'primary', onclick: () => edit(null) })),
    pageError,
    h('section', { 'aria-labelledby': 'servers-title', class: 'stack' },
      h('h2', { id: 'servers-title', class: 'section-title', text: 'Servers' }),
      serverRegion),
    h('section', { class: 'card', 'aria-labelledby': 'tools-title' },
      h('div', { class: 'card-head' }, h('h2', { id: 'tools-title', text: 'Tools' }), filter),
      h('p', { class: 'hint', text: 'A preset offers the tools it lists (exact names, or <server>.* for all of a server\'s). '
        + 'A tool switched off here is refused to every preset: the model gets an error result instead.' }),
      toolError,
      toolRegion));

  async function load() {
    try {
      const [servers, tools, options] = await Promise.all([get('/api/tools/servers'), get('/api/tools'),
        state.options ? state.options : get('/api/tools/servers/options')]);
      if (state.disposed) return;
      state.servers = servers;
      state.tools = tools;
      state.options = options;
      showError(pageError, null);
      // The periodic refresh redraws only when something changed, so focus and reading stay put.
      const shown = JSON.stringify([servers, tools]);
      if (shown !== state.shown) {
        state.shown = shown;
        keepFocus(serverRegion, renderServers);
        keepFocus(toolRegion, renderTools);
      }
    } catch (error) {
      if (!state.disposed) showError(pageError, error, 'Could not load the tool servers');
    }
  }

  function renderServers() {
    if (!state.servers) return;
    if (state.servers.length === 0) {
      replace(serverRegion, h('div', { class: 'card' }, empty('No tool servers yet',
        'Add an MCP server by its URL (Streamable HTTP or the older HTTP+SSE), or import the mcpServers of a Claude Desktop configuration.',
        button('Add server', { icon: 'plus', kind: 'primary', onclick: () => edit(null) }))));
      return;
    }
    replace(serverRegion, h('ul', { class: 'cards' }, state.servers.map(card)));
  }

  function card(server) {
    const titleId = `server-${server.id}`;
    const [label, kind] = STATES[server.status] ?? [server.status, 'cooling'];
    const headers = Object.entries(server.url ? server.headers ?? {} : server.env ?? {});
    return h('li', { class: 'card channel', 'aria-labelledby': titleId },
      h('div', { class: 'channel-head' },
        h('div', { class: 'channel-title' },
          h('h2', { id: titleId, text: server.name }),
          h('span', { class: 'tag', text: server.connectedVia ?? server.transport })),
        h('span', { class: 'state-line' }, pill(label, kind),
          server.status === 'connected' ? h('span', { class: 'muted small', text: `${num(server.toolCount)} tools` }) : null)),
      server.status === 'error' ? problem(server) : null,
      h('dl', { class: 'facts' },
        fact(server.url ? 'URL' : 'Command', server.url ?? (server.command ?? []).join(' '), 'mono'),
        fact(server.url ? 'Headers' : 'Environment', headers.length
          ? h('span', { class: 'chips' }, headers.map(([name, value]) => h('span', { class: 'chip mono', text: `${name}: ${value}` })))
          : h('span', { class: 'muted', text: 'none' })),
        fact('Tools', num(server.toolCount)),
        fact('Timeout', `${num(server.timeoutMs / 1000)} s per call`)),
      server.warnings?.length ? h('details', { class: 'warnings' },
        h('summary', { text: `${server.warnings.length} tool${server.warnings.length === 1 ? '' : 's'} left out` }),
        h('ul', {}, server.warnings.map((w) => h('li', { class: 'small', text: w })))) : null,
      h('div', { class: 'channel-foot' },
        h('div', { class: 'test-result', role: 'status' }, state.busy.has(server.id) ? h('span', { class: 'muted', text: 'Connecting…' }) : null),
        h('div', { class: 'row-actions' },
          button('Refresh', { icon: 'refresh', dataset: { focus: `refresh-${server.id}` }, 'aria-describedby': titleId,
            disabled: state.busy.has(server.id), onclick: () => refresh(server) }),
          button('Edit', { icon: 'edit', dataset: { focus: `edit-${server.id}` }, 'aria-describedby': titleId, onclick: () => edit(server) }),
          button(server.enabled ? 'Disable' : 'Enable', { icon: 'power', dataset: { focus: `toggle-${server.id}` }, 'aria-describedby': titleId,
            onclick: () => toggle(server) }),
          button('Delete', { icon: 'trash', kind: 'danger-text', 'aria-describedby': titleId, onclick: () => remove(server) }))));
  }

  /** The server's last error in its own words, and what the operator can do about it. */
  function problem(server) {
    return h('div', { class: 'server-problem' }, icon('alert', 16),
      h('div', {},
        h('p', { class: 'problem-text', text: server.error ?? 'The server could not be reached.' }),
        h('p', { class: 'hint', text: nextStep(server) })));
  }

  function nextStep(server) {
    const error = server.error ?? '';
    if (/CHATAI_ALLOW_STDIO_TOOLS/.test(error)) {
      return 'Local programs are off on this server: set CHATAI_ALLOW_STDIO_TOOLS=true and restart it, or edit this server to use a URL.';
    }
    if (/\b(401|403)\b|unauthori[sz]ed|forbidden/i.test(error)) {
      return 'The tool server refused the request: check the headers (Edit, type the value again), then Refresh.';
    }
    if (server.command) {
      return 'Check that the program is installed on this server\'s host and speaks MCP over stdio, then Refresh.';
    }
    return 'Check that the URL is reachable from this server (not only from your browser) and speaks MCP, then Refresh. '
      + 'The server also retries on its own, at least once a minute.';
  }

  function fact(label, value, kind) {
    return h('div', {}, h('dt', { text: label }), h('dd', { class: kind ?? null }, value));
  }

  function renderTools() {
    if (!state.tools) return;
    if (state.tools.length === 0) {
      replace(toolRegion, empty('No tools', state.servers?.length
        ? 'None of the servers lists a tool right now: see their state above.'
        : 'Tools appear here once a server is connected.'));
      return;
    }
    const words = filter.value.trim().toLowerCase();
    const shown = state.tools.filter((t) => !words || `${t.name} ${t.server} ${t.description ?? ''}`.toLowerCase().includes(words));
    replace(toolRegion, h('table', { class: 'table tool-table' },
      h('caption', { class: 'visually-hidden', text: `Tools: ${shown.length} of ${state.tools.length}` }),
      h('thead', {}, h('tr', {}, ['Tool', 'Description', 'Enabled'].map((x) => h('th', { scope: 'col', text: x })))),
      h('tbody', {}, shown.map((tool) => {
        const descriptionId = `tool-${tool.name}-description`;
        return h('tr', { class: tool.enabled ? null : 'off' },
          h('th', { scope: 'row', 'data-label': 'Tool' }, h('span', { class: 'mono block', text: tool.name }),
            h('span', { class: 'muted small block', text: params(tool.parameters) })),
          h('td', { 'data-label': 'Description', id: descriptionId, class: 'tool-description', text: tool.description || '–' }),
          h('td', { 'data-label': 'Enabled' }, h('label', { class: 'switch' },
            h('input', { type: 'checkbox', role: 'switch', checked: tool.enabled, 'aria-label': `Enable ${tool.name}`,
              'aria-describedby': descriptionId, dataset: { focus: `switch-${tool.name}` }, onchange: (e) => setEnabled(tool, e.target) }),
            h('span', { 'aria-hidden': 'true', text: tool.enabled ? 'On' : 'Off' }))));
      }))),
    shown.length === 0 ? h('p', { class: 'muted', text: 'No tool matches the filter.' }) : null);
  }

  /** The arguments a tool takes, from its JSON schema: "a, b (required: a)". */
  function params(schema) {
    const names = Object.keys(schema?.properties ?? {});
    if (names.length === 0) return 'no arguments';
    const required = (schema.required ?? []).filter((n) => names.includes(n));
    return `(${names.map((n) => (required.includes(n) ? n : `${n}?`)).join(', ')})`;
  }

  async function setEnabled(tool, input) {
    // Not disabled while the change is saved: a disabled switch would drop the keyboard focus.
    if (state.busy.has(tool.name)) {
      input.checked = !input.checked; // one change at a time: this click is undone
      return;
    }
    state.busy.add(tool.name);
    input.setAttribute('aria-busy', 'true');
    try {
      const saved = await put(`/api/tools/${seg(tool.name)}`, { enabled: input.checked });
      showError(toolError, null);
      toast(`${saved.name} ${saved.enabled ? 'on' : 'off'}`);
      await load();
    } catch (error) {
      input.checked = tool.enabled;
      showError(toolError, error, `Could not switch ${tool.name}`);
    } finally {
      state.busy.delete(tool.name);
      input.removeAttribute('aria-busy');
    }
  }

  async function refresh(server) {
    state.busy.add(server.id);
    state.shown = '';
    keepFocus(serverRegion, renderServers);
    try {
      const view = await post(`/api/tools/servers/${seg(server.id)}/refresh`);
      if (view.status === 'connected') toast(`${view.name} connected: ${view.toolCount} tools`);
      else toast(`${view.name}: ${view.error ?? view.status}`, 'error');
    } catch (error) {
      showError(pageError, error, `Could not refresh ${server.name}`);
    } finally {
      state.busy.delete(server.id);
      state.shown = '';
    }
    await load();
  }

  async function toggle(server) {
    try {
      await put(`/api/tools/servers/${seg(server.id)}`, { enabled: !server.enabled });
      toast(`${server.name} ${server.enabled ? 'disabled' : 'enabled'}`);
      await load();
    } catch (error) {
      showError(pageError, error, `Could not change ${server.name}`);
    }
  }

  async function remove(server) {
    const ok = await confirmDialog({ title: `Delete ${server.name}?`, confirm: 'Delete', danger: true,
      message: `Its ${server.toolCount} tools are gone at once; presets that list them get an error result when the model calls one.` });
    if (!ok) return;
    try {
      await del(`/api/tools/servers/${seg(server.id)}`);
      toast(`${server.name} deleted`);
      await load();
    } catch (error) {
      showError(pageError, error, `Could not delete ${server.name}`);
    }
  }

  function edit(server) {
    editServer(server, state.options, afterSave);
  }

  async function afterSave(saved) {
    state.shown = '';
    await load();
    if (saved?.id) serverRegion.querySelector(`[data-focus="refresh-${CSS.escape(saved.id)}"]`)?.focus();
  }

  load();
  state.timer = setInterval(() => { if (!document.hidden && !document.querySelector('dialog[open]')) load(); }, REFRESH_MS);
  return {
    dispose() {
      state.disposed = true;
      clearInterval(state.timer);
    },
  };
}
