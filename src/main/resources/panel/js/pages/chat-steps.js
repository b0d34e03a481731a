// The assistant's side of one turn in the chat transcript: its text, and the tool steps it took in between,
// in the order they happened (text the model wrote before a tool call stays above that call). A step is a
// collapsed <details>: the tool's name and how it ended on the summary line, its arguments and result inside.
import { h, replace, num } from '../dom.js';
import { icon } from '../icons.js';

/** Pretty JSON for arguments sent as a JSON string or an object; anything else as written. */
function pretty(value) {
  if (value == null || value === '') return '{}';
  if (typeof value !== 'string') return JSON.stringify(value, null, 2);
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return value;
  }
}

/** One tool call: running until `finish` gets its result. */
export function toolStep({ id, name, arguments: args }) {
  const state = h('span', { class: 'tool-state', text: 'running…' });
  const result = h('dd', {}, h('span', { class: 'muted', text: 'waiting for the tool…' }));
  const element = h('details', { class: 'tool-step running', dataset: { callId: id ?? '' } },
    h('summary', {}, icon('tools', 14), h('span', { class: 'visually-hidden', text: 'Tool call ' }),
      h('span', { class: 'tool-name', text: name }), state),
    h('dl', {},
      h('dt', { text: 'Arguments' }), h('dd', {}, h('pre', { text: pretty(args) })),
      h('dt', { text: 'Result' }), result));
  return {
    element,
    /** The tool's answer: its text, whether it failed, and how long it took (unknown in history). */
    finish({ result: text, isError, durationMs }) {
      element.classList.remove('running');
      element.classList.toggle('error', Boolean(isError));
      const took = durationMs == null ? '' : `${num(durationMs)} ms`;
      state.textContent = isError ? `failed${took ? ` · ${took}` : ''}` : (took || 'done');
      replace(result, h('pre', { text: text ?? '' }));
    },
  };
}

/**
 * An assistant bubble that text and steps are appended to. `text(chunk)` continues the text after the last
 * step (starting a new paragraph after one); the first text element exists from the start, for streaming.
 */
export function turnBubble(who, timestamp, headExtra) {
  const body = h('div', { class: 'bubble-body' });
  let current = h('div', { class: 'bubble-text' }, document.createTextNode(''));
  body.append(current);
  const steps = new Map();
  const element = h('article', { class: 'bubble assistant' },
    h('header', { class: 'bubble-head' }, h('span', { class: 'who', text: who }), headExtra ?? null),
    body);
  return {
    element,
    text(chunk) {
      if (body.lastElementChild !== current) {
        current = h('div', { class: 'bubble-text' }, document.createTextNode(''));
        body.append(current);
      }
      current.firstChild.appendData(chunk);
    },
    /** Puts elements (reasoning, images of one message) after what is there; text goes on below them. */
    append(nodes) {
      body.append(...nodes);
    },
    step(call) {
      const step = toolStep(call);
      steps.set(call.id, step);
      body.append(step.element);
      return step;
    },
    finish(id, outcome) {
      const step = steps.get(id);
      if (step) step.finish(outcome);
      return Boolean(step);
    },
    /** Whether any text arrived. */
    hasText() {
      return [...body.querySelectorAll('.bubble-text')].some((el) => el.textContent.length > 0);
    },
    /** Drops text elements that stayed empty (a turn that began with a tool call). */
    tidy() {
      for (const el of body.querySelectorAll('.bubble-text')) if (!el.textContent && body.children.length > 1) el.remove();
    },
    steps: () => steps.size,
  };
}

/**
 * Transcript bubbles from a conversation read with ?include=tools: an assistant message with toolCalls, the
 * tool messages answering them and the answer that follows become one bubble, as the turn was streamed.
 * Other messages are `plainBubble(message)`; `extras(message)` gives what a message inside a tool turn shows
 * above its text (its reasoning, its images).
 */
export function historyBubbles(messages, plainBubble, timeOf, extras = () => []) {
  const out = [];
  let open = null;
  for (const m of messages) {
    if (m.role === 'assistant') {
      if (!open && !m.toolCalls?.length) {
        out.push(plainBubble(m));
        continue;
      }
      if (!open) {
        open = turnBubble('Assistant', m.timestamp, m.timestamp ? timeOf(m.timestamp) : null);
        out.push(open.element);
      }
      open.append(extras(m));
      if (m.content) open.text(typeof m.content === 'string' ? m.content : JSON.stringify(m.content));
      for (const call of m.toolCalls ?? []) open.step(call);
      if (!m.toolCalls?.length) {
        open.tidy();
        open = null;
      }
    } else if (m.role === 'tool') {
      if (!open?.finish(m.toolCallId, { result: m.content, isError: m.isError })) out.push(plainBubble(m));
    } else {
      open?.tidy();
      open = null;
      out.push(plainBubble(m));
    }
  }
  open?.tidy();
  return out;
}
