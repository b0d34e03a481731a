// Shared pieces of the pages: form fields with their labels, error boxes that show the API's envelope,
// toasts, a confirmation dialog and a copy button.
import { h, uid, replace } from './dom.js';
import { icon } from './icons.js';

/** A labelled form control: the label's `for` points at the control, a hint is its description. */
export function field(label, control, { hint, wide = false, optional = false } = {}) {
  control.id ||= uid('field');
  const hintId = hint ? `${control.id}-hint` : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h('div', { class: wide ? 'field wide' : 'field' },
    h('label', { for: control.id }, label, optional ? h('span', { class: 'optional', text: ' (optional)' }) : null),
    control,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null);
}

/** A checkbox with its label beside it. */
export function checkbox(label, props = {}) {
  const input = h('input', { type: 'checkbox', id: uid('check'), ...props });
  return { input, element: h('label', { class: 'check', for: input.id }, input, h('span', { text: label })) };
}

/** A button with an icon; icon-only buttons need `label`, which becomes their accessible name. */
export function button(text, { icon: iconName, kind = '', label, ...props } = {}) {
  return h('button', { type: 'button', class: `btn ${kind}`.trim(), 'aria-label': label, title: label, ...props },
    iconName ? icon(iconName, 16) : null, text ? h('span', { text }) : null);
}

/** The message of an error for people: the envelope's text, its code, and a request id to quote. */
export function errorBox(error, { title } = {}) {
  const box = h('div', { class: 'error-box', role: 'alert' });
  return fillError(box, error, title);
}

/** Shows the error in an existing live region (role="alert" elements announce changes). */
export function showError(region, error, title) {
  if (!error) {
    region.replaceChildren();
    region.hidden = true;
    return;
  }
  region.hidden = false;
  fillError(region, error, title);
}

function fillError(box, error, title) {
  const code = error?.code && error.code !== 'ERROR' ? error.code : null;
  replace(box,
    icon('alert', 18),
    h('div', { class: 'error-text' },
      title ? h('strong', { text: title }) : null,
      h('p', { text: error?.message ?? String(error) }),
      h('p', { class: 'error-meta' },
        code ? h('code', { class: 'code-badge', text: code }) : null,
        error?.status ? h('span', { text: ` HTTP ${error.status}` }) : null,
        error?.requestId ? h('span', { text: ` · request ${error.requestId}` }) : null)));
  return box;
}

/** A short message in the corner (role="status", announced politely). */
export function toast(message, kind = 'ok') {
  const region = document.getElementById('toasts');
  const item = h('div', { class: `toast ${kind}` }, icon(kind === 'error' ? 'alert' : 'check', 16), h('span', { text: message }));
  region.append(item);
  setTimeout(() => item.classList.add('leaving'), 3500);
  setTimeout(() => item.remove(), 4000);
}

/** A modal dialog (native <dialog>: focus is trapped, Escape cancels); resolves true when confirmed. */
export function confirmDialog({ title, message, confirm = 'Confirm', danger = false }) {
  return new Promise((resolve) => {
    const titleId = uid('dialog-title');
    const ok = h('button', { type: 'submit', class: danger ? 'btn danger' : 'btn primary', value: 'ok', text: confirm });
    const cancel = h('button', { type: 'submit', class: 'btn', value: 'cancel', text: 'Cancel' });
    const messageId = uid('dialog-message');
    const dialog = h('dialog', { class: 'dialog small', 'aria-labelledby': titleId, 'aria-describedby': messageId },
      h('form', { method: 'dialog' },
        h('h2', { id: titleId, text: title }),
        h('p', { class: 'dialog-message', id: messageId, text: message }),
        h('div', { class: 'dialog-actions' }, cancel, ok)));
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok');
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
    // Enter must not destroy anything by accident: a dangerous action starts on Cancel.
    (danger ? cancel : ok).focus();
  });
}

/** Opens content in a modal dialog with a title; returns the dialog (call close() to dismiss it). */
export function modal(title, content, { wide = false } = {}) {
  const titleId = uid('dialog-title');
  const dialog = h('dialog', { class: wide ? 'dialog wide' : 'dialog', 'aria-labelledby': titleId },
    h('div', { class: 'dialog-head' },
      h('h2', { id: titleId, text: title }),
      button('', { icon: 'close', kind: 'ghost icon-only', label: 'Close', onclick: () => dialog.close() })),
    content);
  // The 'close' event arrives a task later; removing at once means a closed form (and any key typed
  // into it) is gone from the page the moment close() returns, not some time after.
  const close = dialog.close.bind(dialog);
  dialog.close = (value) => { close(value); dialog.remove(); };
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

/** Copies text to the clipboard; falls back to selecting an input for pages served over plain http. */
export async function copyText(text, input) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (input) {
      input.select();
      return document.execCommand('copy');
    }
    return false;
  }
}

/** The page's heading row: title, a sentence of what it is for, and actions. */
export function pageHeader(title, description, ...actions) {
  return h('div', { class: 'page-head' },
    h('div', {}, h('h1', { text: title, tabindex: '-1', class: 'page-title' }), description ? h('p', { class: 'muted', text: description }) : null),
    actions.length ? h('div', { class: 'page-actions' }, actions) : null);
}

/** Shown while a page loads its data. */
export function loading(text = 'Loading…') {
  return h('p', { class: 'loading', role: 'status', text });
}

/** A friendly empty state. */
export function empty(title, text, ...actions) {
  return h('div', { class: 'empty' }, h('p', { class: 'empty-title', text: title }), text ? h('p', { class: 'muted', text }) : null, actions);
}

/** Turns a number field's value into a number, null when empty. */
export function numberOrNull(input) {
  const value = input.value.trim();
  return value === '' ? null : Number(value);
}

/** A status pill: healthy / cooling / disabled / ok / failed. */
export function pill(text, kind) {
  return h('span', { class: `pill ${kind}` }, h('span', { class: 'dot', 'aria-hidden': 'true' }), h('span', { text }));
}
