// Chat: talk to the model as any user of a bot, watch the answer stream in token by token, and manage
// that user's conversations (open, clear, delete). The conversation shown is the one the next message
// continues; "New conversation" starts a fresh one in the same scope.
import { h, replace, uid, timeAgo, num, relative } from '../dom.js';
import { get, post, del, send, errorOf, withQuery, seg } from '../api.js';
import { readEvents } from '../sse.js';
import { field, button, errorBox, showError, confirmDialog, toast, pageHeader, empty } from '../ui.js';
import { icon } from '../icons.js';
import { turnBubble, historyBubbles } from './chat-steps.js';

const STORE = 'chatai.chat';

function remembered() {
  try {
    return JSON.parse(localStorage.getItem(STORE)) ?? {};
  } catch {
    return {};
  }
}

function randomId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16)); // randomUUID needs a secure context; this does not
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function mount(root, { params, navigate }) {
  const saved = remembered();
  const state = {
    conversations: [],
    selected: null, // the conversation the next message continues; null = a new one
    streaming: null, // AbortController of the running stream
    disposed: false,
    loads: 0, // only the newest list request may draw: answers can arrive out of order
    sends: 0, // a transcript read that a sent message overtook must not wipe that message's bubbles
  };

  const userInput = h('input', { name: 'userId', required: true, maxlength: 64, autocomplete: 'off', spellcheck: 'false',
    value: params.get('userId') ?? saved.userId ?? 'operator' });
  const groupInput = h('input', { name: 'groupId', maxlength: 64, autocomplete: 'off', spellcheck: 'false',
    placeholder: 'private chat', value: params.get('groupId') ?? saved.groupId ?? '' });
  const presetSelect = h('select', { name: 'preset' }, h('option', { value: 'default', text: 'default' }));
  const modelInput = h('input', { name: 'model', maxlength: 128, autocomplete: 'off', spellcheck: 'false', placeholder: "preset's model" });

  const listRegion = h('div', { class: 'conv-list', 'aria-busy': 'false' });
  const listError = h('div', { class: 'error-box', role: 'alert', hidden: true });
  const scopeLabel = h('p', { class: 'transcript-scope' });
  const transcript = h('div', { class: 'transcript', role: 'log', 'aria-label': 'Conversation', tabindex: '0' });
  const chatError = h('div', { class: 'error-box', role: 'alert', hidden: true });
  const messageInput = h('textarea', { name: 'message', rows: 2, required: true, placeholder: 'Write a message… (Enter sends, Shift+Enter adds a line)' });
  const sendButton = h('button', { type: 'submit', class: 'btn primary send' }, icon('send', 16), h('span', { text: 'Send' }));
  const stopButton = button('Stop', { icon: 'stop', kind: 'danger', hidden: true, onclick: () => state.streaming?.abort() });
  const newButton = button('New conversation', { icon: 'plus', onclick: () => select(null) });

  // Images to send with the next message, as the Chat API takes them: base64 with their MIME type.
  const attached = [];
  const attachedRegion = h('div', { class: 'attachments', 'aria-label': 'Attached images' });
  const fileInput = h('input', { type: 'file', accept: 'image/png,image/jpeg,image/gif,image/webp', multiple: true,
    class: 'visually-hidden', name: 'images', 'aria-label': 'Image files to attach', tabindex: '-1', onchange: () => { attachFiles(fileInput.files); fileInput.value = ''; } });
  const attachButton = button('Attach image', { icon: 'plus', onclick: () => fileInput.click() });
  const reasoningToggle = h('input', { type: 'checkbox', name: 'showReasoning' });

  const messageId = uid('message');
  messageInput.id = messageId;
  const composer = h('form', { class: 'composer', onsubmit: (e) => { e.preventDefault(); sendMessage(); } },
    h('label', { for: messageId, class: 'visually-hidden', text: 'Message' }),
    attachedRegion,
    messageInput,
    h('div', { class: 'composer-actions' },
      h('label', { class: 'reasoning-toggle' }, reasoningToggle, h('span', { text: 'Show reasoning' })),
      fileInput, attachButton, stopButton, sendButton));

  function attachFiles(files) {
    for (const file of files) {
      if (!file.type.startsWith('image/')) continue;
      const reader = new FileReader();
      reader.onload = () => {
        const url = String(reader.result); // data:<mime>;base64,<data>
        attached.push({ mimeType: file.type, data: url.slice(url.indexOf(',') + 1), url });
        renderAttached();
      };
      reader.readAsDataURL(file);
    }
  }

  function renderAttached() {
    replace(attachedRegion, attached.map((image, i) => h('span', { class: 'attachment' },
      h('img', { src: image.url, alt: `Attached image ${i + 1}`, class: 'thumb' }),
      button('', { icon: 'trash', kind: 'ghost icon-only', label: `Remove attached image ${i + 1}`,
        onclick: () => { attached.splice(i, 1); renderAttached(); } }))));
  }

  messageInput.addEventListener('paste', (event) => {
    const files = [...(event.clipboardData?.items ?? [])].filter((item) => item.kind === 'file').map((item) => item.getAsFile());
    if (files.length) {
      event.preventDefault();
      attachFiles(files.filter(Boolean));
    }
  });
  reasoningToggle.addEventListener('change', () => showConversation());

  messageInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });

  const scopeForm = h('form', { class: 'scope-bar', onsubmit: (e) => { e.preventDefault(); loadConversations({ pick: 'latest', show: true }); } },
    field('User ID', userInput),
    field('Group ID', groupInput, { optional: true }),
    field('Preset', presetSelect),
    field('Model', modelInput, { optional: true }),
    h('div', { class: 'scope-actions' }, button('Load', { icon: 'refresh', type: 'submit' })));

  replace(root,
    pageHeader('Chat', 'Talk to your channels as one of your bot\'s users, and manage that user\'s conversations.'),
    scopeForm,
    h('div', { class: 'chat-layout' },
      h('section', { class: 'card conv-panel', 'aria-labelledby': 'conv-heading' },
        h('div', { class: 'card-head' }, h('h2', { id: 'conv-heading', text: 'Conversations' }), newButton),
        listError,
        listRegion),
      h('section', { class: 'card chat-panel', 'aria-label': 'Chat' },
        scopeLabel,
        transcript,
        chatError,
        composer)));

  function remember() {
    localStorage.setItem(STORE, JSON.stringify({ userId: userInput.value.trim(), groupId: groupInput.value.trim(), preset: presetSelect.value }));
  }

  function scope() {
    return { userId: userInput.value.trim(), groupId: groupInput.value.trim() || null };
  }

  async function loadPresets() {
    try {
      const presets = await get('/api/presets');
      if (state.disposed) return;
      const wanted = params.get('preset') ?? saved.preset ?? 'default';
      replace(presetSelect, presets.map((p) => h('option', { value: p.id, text: p.name && p.name !== p.id ? `${p.name} (${p.id})` : p.id })));
      presetSelect.value = presets.some((p) => p.id === wanted) ? wanted : 'default';
    } catch (error) {
      showError(chatError, error, 'Could not load the presets');
    }
  }

  /**
   * Loads the user's conversations and picks the one shown: 'latest' (the newest of the current scope,
   * which a message without conversationId would continue), an id, or 'same' (keep the current one).
   */
  async function loadConversations({ pick = 'same', show = false } = {}) {
    const { userId, groupId } = scope();
    if (!userId) {
      state.conversations = [];
      state.selected = null;
      replace(listRegion, empty('No user', 'Enter a user ID to see their conversations.'));
      if (show) await showConversation();
      return;
    }
    remember();
    const load = ++state.loads;
    const sends = state.sends;
    listRegion.setAttribute('aria-busy', 'true');
    try {
      const page = await get(withQuery('/api/conversations', { userId, limit: 100 }));
      if (state.disposed || load !== state.loads) return;
      showError(listError, null);
      state.conversations = page.conversations;
      // A message sent while the list loaded decided which conversation is shown: keep it.
      if (state.sends !== sends) pick = 'same';
      const wanted = pick === 'latest' ? null : pick === 'same' ? state.selected?.id : pick;
      state.selected = pick === 'latest'
        ? page.conversations.find((c) => (c.groupId ?? null) === groupId) ?? null
        : page.conversations.find((c) => c.id === wanted) ?? null;
      if (state.selected) groupInput.value = state.selected.groupId ?? '';
      renderList();
      renderScope();
      if (show && state.sends === sends) await showConversation();
    } catch (error) {
      showError(listError, error, 'Could not load the conversations');
    } finally {
      listRegion.setAttribute('aria-busy', 'false');
    }
  }

  function renderList() {
    if (state.conversations.length === 0) {
      replace(listRegion, empty('No conversations yet', `Send a message to start one for ${scope().userId}.`));
      return;
    }
    replace(listRegion, h('ul', { class: 'conv-items' }, state.conversations.map((c) => {
      const current = state.selected?.id === c.id;
      const where = c.groupId ? `Group ${c.groupId}` : 'Private chat';
      const which = `${where}, updated ${relative(c.updatedAt)}`; // several conversations may share a group
      return h('li', { class: current ? 'conv-item current' : 'conv-item' },
        h('button', { type: 'button', class: 'conv-open', 'aria-current': current ? 'true' : null, dataset: { focus: `open-${c.id}` },
          onclick: () => select(c) },
          h('span', { class: 'conv-title' }, h('span', { text: where }), h('span', { class: 'muted small' }, timeAgo(c.updatedAt))),
          h('span', { class: 'conv-preview', text: c.lastMessage ?? 'No messages' }),
          h('span', { class: 'muted small', text: `${num(c.messageCount)} messages` })),
        h('div', { class: 'conv-actions' },
          button('', { icon: 'eraser', kind: 'ghost icon-only', label: `Clear conversation: ${which}`, dataset: { focus: `clear-${c.id}` }, onclick: () => clear(c) }),
          button('', { icon: 'trash', kind: 'ghost icon-only danger-text', label: `Delete conversation: ${which}`, onclick: () => remove(c) })));
    })));
  }

  async function select(conversation) {
    if (state.streaming) return;
    state.selected = conversation;
    if (conversation) groupInput.value = conversation.groupId ?? '';
    remember();
    renderList();
    await showConversation();
    messageInput.focus();
  }

  /** The line above the transcript: whose conversation this is and which one the next message continues. */
  function renderScope() {
    const { userId, groupId } = scope();
    replace(scopeLabel,
      h('span', { class: 'scope-chip' }, icon('chat', 14), h('span', { text: `${userId}${groupId ? ` in group ${groupId}` : ' · private chat'}` })),
      state.selected ? h('code', { class: 'muted small', text: state.selected.id }) : h('span', { class: 'muted small', text: 'New conversation' }));
  }

  async function showConversation() {
    const conversation = state.selected;
    const sends = state.sends;
    renderScope();
    showError(chatError, null);
    if (!conversation) {
      replace(transcript, h('p', { class: 'transcript-empty', text: 'A new conversation. Your first message starts it.' }));
      return;
    }
    try {
      // With the tool steps: an assistant message's calls and the tool results, inside its bubble.
      const data = await get(withQuery(`/api/conversations/${seg(conversation.id)}`,
        { include: reasoningToggle.checked ? 'tools,reasoning' : 'tools' }));
      if (state.disposed || state.selected?.id !== conversation.id || state.sends !== sends) return;
      replace(transcript, data.messages.length
        ? historyBubbles(data.messages, (m) => bubble(m.role, m.content, m.timestamp, m.images, m.reasoning), timeAgo, extras)
        : h('p', { class: 'transcript-empty', text: 'This conversation is empty: its context was cleared.' }));
      transcript.scrollTop = transcript.scrollHeight;
    } catch (error) {
      showError(chatError, error, 'Could not read the conversation');
    }
  }

  /** What a message shows above its text: its reasoning and its images (for a message inside a tool turn). */
  function extras(m) {
    return bubble(m.role, null, null, m.images, m.reasoning).querySelectorAll('.reasoning, .bubble-images');
  }

  function bubble(role, text, timestamp, images = [], reasoning = null) {
    const who = role === 'user' ? scope().userId : role === 'assistant' ? 'Assistant' : role;
    return h('article', { class: `bubble ${role}` },
      h('header', { class: 'bubble-head' }, h('span', { class: 'who', text: who }), timestamp ? timeAgo(timestamp) : null),
      reasoning ? h('details', { class: 'reasoning', open: true }, h('summary', { text: 'Reasoning' }), h('div', { class: 'reasoning-text', text: reasoning })) : null,
      images?.length ? h('div', { class: 'bubble-images' }, images.map((image, i) =>
        h('a', { href: image.url, target: '_blank', rel: 'noopener',
          'aria-label': `Open image ${i + 1}${image.width ? ` (${image.width}×${image.height})` : ''}` },
          h('img', { src: image.url, class: 'thumb', loading: 'lazy', width: image.width, height: image.height,
            alt: image.caption ?? `Image ${i + 1} (${image.width}×${image.height})` })))) : null,
      text ? h('div', { class: 'bubble-text', text }) : null);
  }

  async function sendMessage() {
    const message = messageInput.value;
    const { userId, groupId } = scope();
    if (!userId) {
      showError(chatError, { message: 'Enter a user ID first: conversations belong to a user.' });
      userInput.focus();
      return;
    }
    if (!message.trim() && attached.length === 0) {
      messageInput.focus();
      return;
    }
    if (state.streaming) return;
    state.sends += 1;
    remember();
    showError(chatError, null);
    transcript.querySelector('.transcript-empty')?.remove();
    const images = attached.splice(0);
    renderAttached();
    transcript.append(bubble('user', message, Date.now(), images.map((image) => ({ url: image.url }))));
    messageInput.value = '';

    const body = { message, userId, preset: presetSelect.value, requestId: randomId() };
    if (images.length) body.images = images.map(({ data, mimeType }) => ({ data, mimeType }));
    const reasoningText = document.createTextNode('');
    const reasoningBox = h('details', { class: 'reasoning', open: true, hidden: true },
      h('summary', { text: 'Reasoning' }), h('div', { class: 'reasoning-text' }, reasoningText));
    // events: tools asks for tool_call and tool_result events, shown as steps inside the answer.
    body.events = reasoningToggle.checked ? ['tools', 'reasoning'] : ['tools'];
    if (groupId) body.groupId = groupId;
    if (modelInput.value.trim()) body.model = modelInput.value.trim();
    if (state.selected) body.conversationId = state.selected.id;
    else body.newConversation = true;

    const meta = h('footer', { class: 'bubble-meta' }, h('span', { class: 'typing', text: 'Thinking…' }));
    const turn = turnBubble('Assistant');
    const answer = turn.element;
    answer.classList.add('streaming');
    answer.setAttribute('aria-live', 'polite');
    answer.setAttribute('aria-busy', 'true');
    answer.querySelector('.bubble-head').after(reasoningBox);
    answer.append(meta);
    transcript.append(answer);
    transcript.scrollTop = transcript.scrollHeight;

    const controller = new AbortController();
    state.streaming = controller;
    setBusy(true);
    const started = performance.now();
    let conversationId = null;
    let finished = false;
    try {
      const response = await send('POST', '/api/chat/stream', body, { signal: controller.signal });
      if (!response.ok) throw await errorOf(response);
      for await (const event of readEvents(response.body)) {
        const data = JSON.parse(event.data);
        if (data.type === 'start') {
          conversationId = data.conversationId;
          replace(meta, h('span', { class: 'typing', text: 'Answering…' }));
        } else if (data.type === 'reasoning') {
          reasoningBox.hidden = false;
          reasoningText.appendData(data.text);
        } else if (data.type === 'content') {
          const follow = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 80;
          turn.text(data.text);
          if (follow) transcript.scrollTop = transcript.scrollHeight;
        } else if (data.type === 'tool_call') {
          turn.step(data);
          replace(meta, h('span', { class: 'typing', text: `Calling ${data.name}…` }));
          transcript.scrollTop = transcript.scrollHeight;
        } else if (data.type === 'tool_result') {
          turn.finish(data.id, data);
          replace(meta, h('span', { class: 'typing', text: 'Answering…' }));
        } else if (data.type === 'end') {
          finished = true;
          const u = data.usage ?? {};
          const seconds = ((performance.now() - started) / 1000).toFixed(1);
          const steps = turn.steps() ? ` · ${turn.steps()} tool call${turn.steps() === 1 ? '' : 's'}` : '';
          replace(meta, h('span', { text: `${num(u.promptTokens)} prompt + ${num(u.completionTokens)} completion tokens${u.estimated ? ' (estimated)' : ''}${steps} · ${seconds} s` }));
        } else if (data.type === 'error') {
          finished = true;
          answer.classList.add('failed');
          replace(meta, errorBox({ message: data.error, code: data.code }, { title: 'The answer broke off' }));
        }
      }
      if (!finished) throw new Error('The stream ended before the answer was complete.');
    } catch (error) {
      if (error?.name === 'AbortError') {
        answer.classList.add('failed');
        replace(meta, h('span', { text: 'Stopped. Nothing of this turn was saved.' }));
      } else {
        answer.classList.add('failed');
        if (!turn.hasText()) answer.querySelector('.bubble-text')?.remove();
        replace(meta, errorBox(error, { title: 'The message was not answered' }));
      }
    } finally {
      if (turn.steps()) turn.tidy();
      answer.classList.remove('streaming');
      answer.setAttribute('aria-busy', 'false');
      state.streaming = null;
      setBusy(false);
      messageInput.focus();
    }
    // The list shows the new counts; the transcript keeps what was just streamed (with its usage line).
    if (conversationId && !state.disposed) await loadConversations({ pick: conversationId });
  }

  function setBusy(busy) {
    sendButton.disabled = busy;
    stopButton.hidden = !busy;
    newButton.disabled = busy;
    for (const b of listRegion.querySelectorAll('button')) b.disabled = busy;
  }

  async function clear(conversation) {
    const ok = await confirmDialog({ title: 'Clear this conversation?', confirm: 'Clear',
      message: `All ${conversation.messageCount} messages are removed; the conversation stays, so the next message starts with no history.` });
    if (!ok) return;
    try {
      await post(`/api/conversations/${seg(conversation.id)}/clear`);
      toast('Conversation cleared');
      await loadConversations({ show: state.selected?.id === conversation.id });
    } catch (error) {
      showError(listError, error, 'Could not clear the conversation');
    }
  }

  async function remove(conversation) {
    const ok = await confirmDialog({ title: 'Delete this conversation?', confirm: 'Delete', danger: true,
      message: 'The conversation and all its messages are deleted for good.' });
    if (!ok) return;
    try {
      await del(`/api/conversations/${seg(conversation.id)}`);
      toast('Conversation deleted');
      const shown = state.selected?.id === conversation.id;
      if (shown) state.selected = null;
      await loadConversations({ show: shown });
    } catch (error) {
      showError(listError, error, 'Could not delete the conversation');
    }
  }

  userInput.addEventListener('change', () => loadConversations({ pick: 'latest', show: true }));
  groupInput.addEventListener('change', () => loadConversations({ pick: 'latest', show: true }));
  presetSelect.addEventListener('change', remember);

  loadPresets();
  loadConversations({ pick: params.get('conversationId') ?? 'latest', show: true });
  return {
    dispose() {
      state.disposed = true;
      state.streaming?.abort();
    },
  };
}
