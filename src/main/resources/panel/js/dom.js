// Builds DOM nodes without ever parsing HTML: every string becomes a text node or an attribute value,
// so text from the API (names, messages, errors) can never turn into markup or script.

const SVG_NS = 'http://www.w3.org/2000/svg';
let nextId = 0;

/** A unique id for label/input pairs and aria references. */
export function uid(prefix = 'f') {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/**
 * An element. props: `class`, `text`, `dataset`, `on<event>` (a listener), `true` for a boolean
 * attribute, false/null/undefined to leave it out, anything else as an attribute value.
 */
export function h(tag, props = {}, ...children) {
  return build(document.createElement(tag), props, children);
}

/** The same for SVG elements. */
export function svg(tag, props = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), props, children);
}

function build(el, props, children) {
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.setAttribute('class', value);
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value' && 'value' in el) el.value = String(value);
    else if (key === 'checked' || key === 'selected') el[key] = Boolean(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  appendAll(el, children);
  return el;
}

/** Appends children (nodes, strings, numbers, nested arrays); null and false are skipped. */
export function appendAll(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  return appendAll(el, children);
}

/** Runs `render` and puts focus back on the element with the same data-focus key, if it still exists. */
export function keepFocus(container, render) {
  const key = document.activeElement?.dataset?.focus;
  render();
  if (key) {
    const again = container.querySelector(`[data-focus="${CSS.escape(key)}"]`);
    if (again) again.focus();
  }
}

const numberFormat = new Intl.NumberFormat();
const compactFormat = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

export function num(value) {
  return numberFormat.format(value ?? 0);
}

export function compact(value) {
  return compactFormat.format(value ?? 0);
}

export function dateTime(millis) {
  if (millis == null) return '–';
  return new Date(millis).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function clockTime(millis) {
  return new Date(millis).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** "in 4 min", "3 h ago": short, for lists; the exact time goes in a title. */
export function relative(millis, now = Date.now()) {
  const seconds = Math.round((millis - now) / 1000);
  const abs = Math.abs(seconds);
  const [value, unit] = abs < 60 ? [seconds, 'second'] : abs < 3600 ? [Math.round(seconds / 60), 'minute']
    : abs < 86400 ? [Math.round(seconds / 3600), 'hour'] : [Math.round(seconds / 86400), 'day'];
  return new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' }).format(value, unit);
}

/** A duration like "4m 05s" for countdowns. */
export function countdown(millis) {
  const total = Math.max(0, Math.ceil(millis / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** A <time> element showing a relative time, the exact one on hover. */
export function timeAgo(millis) {
  if (millis == null) return h('span', { text: '–' });
  return h('time', { datetime: new Date(millis).toISOString(), title: dateTime(millis), text: relative(millis) });
}
