// The Tools page's dialogs: add or edit one MCP server, and import a Claude Desktop `mcpServers` document.
// Header and env values are write-only: a stored one shows only its mask, its name cannot change (the mask
// stands for the value stored under that name), and leaving it untouched sends the mask back, which keeps it.
import { h, uid } from '../dom.js';
import { post, put, seg } from '../api.js';
import { field, checkbox, button, showError, toast, modal, numberOrNull } from '../ui.js';

const TRANSPORTS = [
  ['auto', 'Automatic (Streamable HTTP, else HTTP+SSE)'],
  ['streamable-http', 'Streamable HTTP'],
  ['sse', 'HTTP+SSE (older servers)'],
];
const EXAMPLE = '{\n  "mcpServers": {\n    "weather": { "url": "https://tools.example.com/mcp", "headers": { "Authorization": "Bearer …" } }\n  }\n}';

/**
 * Rows of name and secret value (headers of an HTTP server, env of a local program). Values are password
 * inputs; stored ones stay empty with their mask as placeholder.
 */
function secretRows(noun, stored) {
  const list = h('ul', { class: 'secret-rows' });
  const rows = [];
  const legendId = uid('legend');
  let count = 0; // numbers rows for their labels; a removed row's number is not reused
  const add = (name = '', masked = null) => {
    count += 1;
    const index = count;
    const nameInput = h('input', { name: `${noun}-name`, value: name, readonly: masked != null, spellcheck: 'false', autocomplete: 'off',
      'aria-label': `${noun} ${index} name`, placeholder: noun === 'Header' ? 'Authorization' : 'API_TOKEN' });
    const valueInput = h('input', { type: 'password', name: `${noun}-value`, autocomplete: 'new-password', spellcheck: 'false',
      'aria-label': `${noun} ${index} value`, placeholder: masked != null ? `${masked} (kept unless you type a new value)` : 'value' });
    const row = { nameInput, valueInput, masked, element: null };
    row.element = h('li', { class: 'secret-row' }, nameInput, valueInput,
      button('', { icon: 'trash', kind: 'ghost icon-only danger-text', label: `Remove ${noun.toLowerCase()} ${index}`, onclick: () => {
        rows.splice(rows.indexOf(row), 1);
        row.element.remove();
      } }));
    rows.push(row);
    list.append(row.element);
    return row;
  };
  for (const [name, masked] of Object.entries(stored ?? {})) add(name, masked);
  const element = h('fieldset', { class: 'field wide secret-fieldset', 'aria-labelledby': legendId },
    h('legend', { id: legendId, text: `${noun === 'Header' ? 'Headers' : 'Environment'} (optional)` }),
    list,
    button(`Add ${noun.toLowerCase()}`, { icon: 'plus', kind: 'ghost', onclick: () => add().nameInput.focus() }),
    h('p', { class: 'hint', text: 'Values are secrets: stored encrypted, shown masked, never sent back to the panel.' }));
  return {
    element,
    /** The map to send; throws an envelope-like error for a row that needs a value. */
    value() {
      const result = {};
      for (const { nameInput, valueInput, masked } of rows) {
        const name = nameInput.value.trim();
        if (!name && !valueInput.value) continue;
        if (!name) throw { message: `A ${noun.toLowerCase()} value needs a name.`, code: 'INVALID_INPUT' };
        if (valueInput.value) result[name] = valueInput.value;
        else if (masked != null) result[name] = masked;
        else throw { message: `Type a value for the ${noun.toLowerCase()} ${name}, or remove it.`, code: 'INVALID_INPUT' };
      }
      return result;
    },
  };
}

/** Opens the add (server null) or edit dialog; calls `saved(view)` after the server answered. */
export function editServer(server, options, saved) {
  const creating = server === null;
  const s = server ?? { name: '', url: '', transport: 'auto', headers: {}, command: null, env: {}, enabled: true,
    timeoutMs: options?.defaultTimeoutMs ?? 30000 };
  const allowStdio = Boolean(options?.allowStdio);
  const wasStdio = Array.isArray(s.command);
  const name = h('input', { name: 'name', required: true, maxlength: 32, value: s.name, spellcheck: 'false', autocomplete: 'off' });
  const kind = h('select', { name: 'kind' },
    h('option', { value: 'http', text: 'MCP server at a URL', selected: !wasStdio }),
    h('option', { value: 'stdio', text: 'Local program (stdio)', selected: wasStdio }));
  const url = h('input', { name: 'url', type: 'url', value: s.url ?? '', placeholder: 'https://tools.example.com/mcp', spellcheck: 'false', autocomplete: 'off' });
  const transport = h('select', { name: 'transport' },
    TRANSPORTS.map(([value, text]) => h('option', { value, text, selected: value === (wasStdio ? 'auto' : s.transport) })));
  const command = h('textarea', { name: 'command', rows: 3, class: 'mono', spellcheck: 'false', autocomplete: 'off' });
  command.value = (s.command ?? []).join('\n');
  const headers = secretRows('Header', wasStdio ? {} : s.headers);
  const env = secretRows('Variable', wasStdio ? s.env : {});
  const min = options?.minTimeoutMs ?? 100;
  const max = options?.maxTimeoutMs ?? 600000;
  const timeout = h('input', { name: 'timeoutMs', type: 'number', min, max, step: 100, value: s.timeoutMs });
  const enabled = checkbox('Enabled: connect and offer its tools', { name: 'enabled', checked: s.enabled });
  const formError = h('div', { class: 'error-box', role: 'alert', hidden: true });
  const save = h('button', { type: 'submit', class: 'btn primary', text: creating ? 'Add server' : 'Save changes' });

  const httpFields = [
    field('URL', url, { hint: 'Its MCP endpoint, as this server reaches it (e.g. …/mcp, or …/sse for an HTTP+SSE server).' }),
    field('Transport', transport),
    headers.element,
  ];
  const stdioFields = [
    field('Command', command, { wide: true, hint: allowStdio
      ? 'The program, then each argument, one per line (e.g. npx, -y, @modelcontextprotocol/server-filesystem, /srv). It runs on this server\'s host.'
      : 'Local programs are off on this server (CHATAI_ALLOW_STDIO_TOOLS is not true): switch to a URL, or allow them and restart.' }),
    env.element,
  ];
  // A local program is offered only where the server runs them, or for a stored one (so it can be switched to a URL).
  const kindField = allowStdio || wasStdio ? field('Kind', kind) : null;
  const sync = () => {
    const stdio = kindField !== null && kind.value === 'stdio';
    for (const f of httpFields) f.hidden = stdio;
    for (const f of stdioFields) f.hidden = !stdio;
  };
  kind.addEventListener('change', sync);

  const form = h('form', { class: 'form-grid', novalidate: true },
    field('Name', name, { hint: 'a-z, 0-9, _ and -, starting with a letter (up to 32). Presets name its tools <name>.<tool>.' }),
    kindField,
    httpFields,
    stdioFields,
    field('Timeout (ms)', timeout, { hint: `Each call, ${min}–${max} ms; connecting gets up to 60 s.` }),
    enabled.element,
    formError,
    h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', text: 'Cancel', onclick: () => dialog.close() }), save));
  sync();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    let body;
    try {
      body = { name: name.value.trim(), enabled: enabled.input.checked, timeoutMs: numberOrNull(timeout) ?? options?.defaultTimeoutMs ?? 30000 };
      if (kindField !== null && kind.value === 'stdio') {
        body.command = command.value.split('\n').map((line) => line.trim()).filter(Boolean);
        body.transport = 'stdio';
        body.env = env.value();
        if (!creating && !wasStdio) body.url = null;
      } else {
        body.url = url.value.trim();
        body.transport = transport.value;
        body.headers = headers.value();
        if (!creating && wasStdio) body.command = null;
      }
    } catch (error) {
      showError(formError, error);
      return;
    }
    save.disabled = true;
    try {
      const view = creating ? await post('/api/tools/servers', body) : await put(`/api/tools/servers/${seg(s.id)}`, body);
      dialog.close();
      if (view.status === 'error') toast(`${view.name} saved, but it did not connect: see its card`, 'error');
      else if (view.status === 'connected') toast(`${view.name} ${creating ? 'added' : 'saved'}: ${view.toolCount} tools`);
      else toast(`${view.name} ${creating ? 'added' : 'saved'}`);
      await saved(view);
    } catch (error) {
      showError(formError, error, creating ? 'The server was not added' : 'The changes were not saved');
    } finally {
      save.disabled = false;
    }
  });
  const dialog = modal(creating ? 'Add a tool server' : `Edit ${s.name}`, form, { wide: true });
  name.focus();
}

/** The import dialog: paste (or pick the file of) a Claude Desktop configuration; its mcpServers are created or updated. */
export function importServers(options, saved) {
  const text = h('textarea', { name: 'document', rows: 12, class: 'mono', spellcheck: 'false', autocomplete: 'off', placeholder: EXAMPLE });
  const file = h('input', { type: 'file', name: 'file', accept: '.json,application/json' });
  file.addEventListener('change', async () => {
    if (file.files?.[0]) text.value = await file.files[0].text();
  });
  const formError = h('div', { class: 'error-box', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn primary', text: 'Import' });
  const form = h('form', { class: 'form-grid', novalidate: true },
    field('Configuration', text, { wide: true, hint: 'A document with "mcpServers", as in claude_desktop_config.json. A known name updates '
      + `that server, a new one creates it; nothing is written if one entry is wrong.${options?.allowStdio ? '' : ' Entries with a command need CHATAI_ALLOW_STDIO_TOOLS=true.'}` }),
    field('Or read a file', file, { optional: true }),
    formError,
    h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', text: 'Cancel', onclick: () => dialog.close() }), submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    let document;
    try {
      document = JSON.parse(text.value);
    } catch (error) {
      showError(formError, { message: `This is not JSON: ${error.message}. Paste the whole file, braces included.`, code: 'INVALID_JSON' });
      text.focus();
      return;
    }
    submit.disabled = true;
    try {
      const result = await post('/api/tools/servers/import', document);
      dialog.close();
      const failed = result.servers.filter((s) => s.status === 'error').length;
      toast(`Imported: ${result.created} created, ${result.updated} updated${failed ? `, ${failed} not connected` : ''}`, failed ? 'error' : 'ok');
      await saved(null);
    } catch (error) {
      showError(formError, error, 'Nothing was imported');
    } finally {
      submit.disabled = false;
    }
  });
  const dialog = modal('Import MCP servers', form, { wide: true });
  text.focus();
}
