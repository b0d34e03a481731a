// Presets: the personas chats use. Edit one with a live preview of its system prompt, filled in for a
// sample user and group exactly as the server will fill it in (see ../template.js).
import { h, replace, uid, timeAgo } from '../dom.js';
import { get, post, put, del, seg } from '../api.js';
import { field, button, showError, confirmDialog, toast, pageHeader, loading, empty, numberOrNull } from '../ui.js';
import { segments, unknownVariables, VARIABLES } from '../template.js';
import { presetTools } from './preset-tools.js';

export function mount(root, { params, navigate }) {
  const state = { presets: null, tools: null, current: null, dirty: false, disposed: false, clock: null, picked: false };
  const listRegion = h('nav', { class: 'preset-list', 'aria-label': 'Presets' }, loading());
  const editorRegion = h('section', { class: 'card preset-editor', 'aria-label': 'Preset editor' });
  const pageError = h('div', { class: 'error-box', role: 'alert', hidden: true });

  replace(root,
    pageHeader('Presets', 'Personas for your bot: system prompt, model, sampling and how much history each turn sends.',
      button('New preset', { icon: 'plus', kind: 'primary', onclick: () => open(null) })),
    pageError,
    h('div', { class: 'split' }, h('div', { class: 'card' }, listRegion), editorRegion));

  async function load(selectId) {
    try {
      // The known tools are suggestions for the preset's tool list; without them the list is still editable.
      [state.presets, state.tools] = await Promise.all([get('/api/presets'), get('/api/tools').catch(() => null)]);
      if (state.disposed) return;
      showError(pageError, null);
      if (!selectId && state.picked) {
        renderList(state.current?.id); // the person already opened something while the list loaded
        return;
      }
      const wanted = selectId ?? params.get('id') ?? 'default';
      const preset = state.presets.find((p) => p.id === wanted) ?? state.presets[0] ?? null;
      renderList(preset?.id);
      if (preset) show(preset);
    } catch (error) {
      if (!state.disposed) showError(pageError, error, 'Could not load the presets');
    }
  }

  function renderList(currentId) {
    if (!state.presets) return;
    replace(listRegion, h('ul', { class: 'preset-items' }, state.presets.map((p) =>
      h('li', {}, h('button', { type: 'button', class: 'preset-item', 'aria-current': p.id === currentId ? 'true' : null,
        onclick: () => open(p) },
        h('span', { class: 'preset-name', text: p.name }),
        h('span', { class: 'muted small mono', text: p.id }),
        h('span', { class: 'muted small', text: p.model ?? 'server default model' }))))));
  }

  async function open(preset) {
    if (state.dirty && !(await confirmDialog({ title: 'Discard your changes?', confirm: 'Discard', danger: true,
      message: `The changes to ${state.current?.name ?? 'the new preset'} are not saved.` }))) return;
    state.picked = true;
    renderList(preset?.id);
    show(preset);
    navigate('presets', preset ? { id: preset.id } : {}, { replace: true });
  }

  function show(preset) {
    const creating = preset === null;
    const p = preset ?? { id: '', name: '', description: '', systemPrompt: 'You are a helpful assistant. Today is {{date}}.', model: null,
      temperature: null, topP: null, maxTokens: null, maxContextMessages: 20, maxContextTokens: 8000 };
    state.current = preset;
    state.dirty = false;

    const id = h('input', { name: 'id', required: true, maxlength: 64, pattern: '[a-z0-9_-]+', value: p.id, readonly: !creating, spellcheck: 'false', autocomplete: 'off' });
    const name = h('input', { name: 'name', required: true, maxlength: 100, value: p.name, autocomplete: 'off' });
    const description = h('input', { name: 'description', maxlength: 1000, value: p.description ?? '', autocomplete: 'off' });
    const prompt = h('textarea', { name: 'systemPrompt', rows: 9, class: 'mono prompt', spellcheck: 'true' });
    prompt.value = p.systemPrompt ?? '';
    const model = h('input', { name: 'model', maxlength: 128, value: p.model ?? '', placeholder: 'server default', title: 'Empty: the server\'s CHATAI_DEFAULT_MODEL', spellcheck: 'false', autocomplete: 'off' });
    const temperature = h('input', { name: 'temperature', type: 'number', min: 0, max: 2, step: 0.1, value: p.temperature ?? '', placeholder: 'provider default' });
    const topP = h('input', { name: 'topP', type: 'number', min: 0, max: 1, step: 0.05, value: p.topP ?? '', placeholder: 'provider default' });
    const maxTokens = h('input', { name: 'maxTokens', type: 'number', min: 1, step: 1, value: p.maxTokens ?? '', placeholder: 'provider default' });
    const maxMessages = h('input', { name: 'maxContextMessages', type: 'number', min: 0, step: 1, value: p.maxContextMessages });
    const maxContextTokens = h('input', { name: 'maxContextTokens', type: 'number', min: 0, step: 100, value: p.maxContextTokens });
    const sampleUser = h('input', { name: 'sampleUserId', value: 'alice', maxlength: 64, autocomplete: 'off' });
    const sampleGroup = h('input', { name: 'sampleGroupId', value: 'dev-team', maxlength: 64, autocomplete: 'off', placeholder: 'private chat' });
    const preview = h('div', { class: 'preview', id: uid('preview'), 'aria-live': 'polite', 'aria-atomic': 'true' });
    const warnings = h('p', { class: 'hint warn', role: 'status' });
    const tools = presetTools(p, state.tools, () => { state.dirty = true; });
    const formError = h('div', { class: 'error-box', role: 'alert', hidden: true });
    const saveButton = h('button', { type: 'submit', class: 'btn primary', text: creating ? 'Create preset' : 'Save changes' });

    const insert = (variable) => {
      const text = `{{${variable}}}`;
      prompt.setRangeText(text, prompt.selectionStart, prompt.selectionEnd, 'end');
      prompt.focus();
      prompt.dispatchEvent(new Event('input', { bubbles: true }));
    };

    function renderPreview() {
      const parts = segments(prompt.value, sampleUser.value, sampleGroup.value.trim() || null, new Date());
      replace(preview, parts.length === 0
        ? h('span', { class: 'muted', text: 'An empty system prompt is not sent.' })
        : parts.map((s) => s.variable
          ? h('mark', { class: s.text ? 'var' : 'var empty', title: `{{${s.variable}}}`, text: s.text || '∅' })
          : s.text));
      const unknown = unknownVariables(prompt.value);
      warnings.textContent = unknown.length
        ? `Not a variable, sent as written: ${unknown.map((n) => `{{${n}}}`).join(', ')}. Variables are ${VARIABLES.map((v) => `{{${v}}}`).join(', ')}.`
        : '';
    }

    const form = h('form', { class: 'form-grid', novalidate: true },
      h('div', { class: 'editor-head' },
        h('h2', { text: creating ? 'New preset' : p.name }),
        creating ? null : h('p', { class: 'muted small' }, 'Updated ', timeAgo(p.updatedAt))),
      h('div', { class: 'field-row' },
        field('ID', id, { hint: creating ? 'a-z, 0-9, _ and -; chats name it in "preset".' : 'Chats name this in "preset".' }),
        field('Name', name)),
      field('Description', description, { optional: true }),
      field('System prompt', prompt, { hint: 'Plain text. Variables are filled in per turn; nothing else is evaluated.' }),
      h('div', { class: 'var-buttons', role: 'group', 'aria-label': 'Insert a variable' },
        h('span', { class: 'muted small', text: 'Insert:' }),
        VARIABLES.map((v) => button(`{{${v}}}`, { kind: 'chip-button', onclick: () => insert(v) }))),
      h('section', { class: 'preview-box', 'aria-labelledby': `${preview.id}-title` },
        h('div', { class: 'preview-head' },
          h('h3', { id: `${preview.id}-title`, text: 'Preview' }),
          h('p', { class: 'hint', text: 'as the model will read it for this user and group' })),
        h('div', { class: 'field-row compact' }, field('Sample user ID', sampleUser), field('Sample group ID', sampleGroup)),
        preview,
        warnings,
        h('p', { class: 'hint', text: 'Date and time come from your browser\'s clock and time zone here; the server fills in its own.' })),
      h('div', { class: 'field-row' },
        field('Model', model),
        field('Temperature', temperature),
        field('Top P', topP),
        field('Max tokens', maxTokens)),
      h('div', { class: 'field-row' },
        field('Context messages', maxMessages, { hint: 'History messages sent with each turn (whole turns).' }),
        field('Context tokens', maxContextTokens, { hint: 'Budget for prompt, history and message.' })),
      tools.element,
      formError,
      h('div', { class: 'form-actions' },
        !creating && p.id !== 'default'
          ? button('Delete', { icon: 'trash', kind: 'danger-text', onclick: () => remove(p) }) : h('span'),
        h('div', { class: 'row-actions' },
          button('Try in chat', { icon: 'chat', onclick: () => navigate('chat', { preset: p.id || undefined }) }),
          saveButton)));

    form.addEventListener('input', (event) => {
      if (event.target !== sampleUser && event.target !== sampleGroup) state.dirty = true;
      renderPreview();
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = {
        name: name.value.trim(),
        description: description.value.trim() || null,
        systemPrompt: prompt.value,
        model: model.value.trim() || null,
        temperature: numberOrNull(temperature),
        topP: numberOrNull(topP),
        maxTokens: numberOrNull(maxTokens),
        maxContextMessages: numberOrNull(maxMessages) ?? 20,
        maxContextTokens: numberOrNull(maxContextTokens) ?? 8000,
        ...tools.body(),
      };
      saveButton.disabled = true;
      try {
        const saved = creating ? await post('/api/presets', { id: id.value.trim(), ...body }) : await put(`/api/presets/${seg(p.id)}`, body);
        state.dirty = false;
        toast(creating ? `Preset ${saved.id} created` : `Preset ${saved.id} saved`);
        navigate('presets', { id: saved.id }, { replace: true });
        await load(saved.id);
      } catch (error) {
        showError(formError, error, 'The preset was not saved');
      } finally {
        saveButton.disabled = false;
      }
    });
    renderPreview();
    // {{time}} moves on its own: keep the preview's clock current.
    clearInterval(state.clock);
    state.clock = setInterval(() => { if (/\{\{(time|datetime)\}\}/.test(prompt.value)) renderPreview(); }, 1000);
    replace(editorRegion, form);
    if (creating) id.focus();
  }

  async function remove(preset) {
    const ok = await confirmDialog({ title: `Delete preset ${preset.id}?`, confirm: 'Delete', danger: true,
      message: 'Chats that name it get 404 PRESET_NOT_FOUND afterwards. Stored conversations keep their messages.' });
    if (!ok) return;
    try {
      await del(`/api/presets/${seg(preset.id)}`);
      state.dirty = false;
      toast(`Preset ${preset.id} deleted`);
      navigate('presets', {}, { replace: true });
      await load('default');
    } catch (error) {
      showError(pageError, error, `Could not delete ${preset.id}`);
    }
  }

  replace(editorRegion, loading());
  load();
  return {
    dispose() {
      state.disposed = true;
      clearInterval(state.clock);
    },
  };
}
