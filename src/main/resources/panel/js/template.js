// The system prompt's variables, filled exactly as the server's PromptTemplate does: plain text, one
// pass, {{userId}} {{groupId}} {{date}} {{time}} {{datetime}}; anything else in braces stays as written
// and a filled-in value is never scanned again. src/test/resources/prompt-template-cases.json holds
// cases that both this file and the Java class must pass. No DOM here: node's tests import it.

export const VARIABLES = ['userId', 'groupId', 'date', 'time', 'datetime'];

const pad = (n) => String(n).padStart(2, '0');

/** yyyy-MM-dd, HH:mm:ss and both, in the time zone of `now`'s local getters (the browser's). */
export function clockValues(now) {
  const date = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const time = `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
  return { date, time, datetime: `${date} ${time}` };
}

/**
 * The template cut into pieces: {text} as written, or {text, variable} where a variable was filled in
 * (so the preview can highlight what was substituted).
 */
export function segments(template, userId, groupId, now = new Date()) {
  const clock = clockValues(now);
  const values = { userId: userId ?? '', groupId: groupId ?? '', ...clock };
  const out = [];
  const literal = (text) => { if (text) out.push({ text }); };
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{{', i);
    if (open < 0) break;
    const close = template.indexOf('}}', open + 2);
    if (close < 0) break;
    const name = template.substring(open + 2, close);
    if (Object.hasOwn(values, name)) {
      literal(template.substring(i, open));
      out.push({ text: values[name], variable: name });
      i = close + 2;
    } else {
      // Not a variable: keep the braces and scan again right after them, as the server does.
      literal(template.substring(i, open + 2));
      i = open + 2;
    }
  }
  literal(template.substring(i));
  return out;
}

/** The filled-in prompt as the model would get it. */
export function renderPrompt(template, userId, groupId, now = new Date()) {
  return segments(template, userId, groupId, now).map((s) => s.text).join('');
}

/** Names written as {{name}} that the server will not fill in (shown as a warning). */
export function unknownVariables(template) {
  const names = new Set();
  for (const match of template.matchAll(/\{\{([^{}]*)\}\}/g)) {
    if (!VARIABLES.includes(match[1])) names.add(match[1]);
  }
  return [...names];
}
