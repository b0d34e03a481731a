// The preview's variable filling against the cases the server's PromptTemplate passes too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadPanelModule, RESOURCES } from './load.mjs';

const { renderPrompt, segments, unknownVariables } = await loadPanelModule('template.js');
const file = JSON.parse(await readFile(path.join(RESOURCES, 'prompt-template-cases.json'), 'utf8'));
const [date, time] = file.now.split('T');
const [y, mo, d] = date.split('-').map(Number);
const [h, mi, s] = time.split(':').map(Number);
const now = new Date(y, mo - 1, d, h, mi, s); // local wall-clock time, as the server's zone gives it

test('renders every shared case exactly as the server does', () => {
  assert.ok(file.cases.length > 10);
  for (const c of file.cases) {
    assert.equal(renderPrompt(c.template, c.userId, c.groupId, now), c.expected, `template ${JSON.stringify(c.template)}`);
  }
});

test('marks which pieces were filled in, for the preview to highlight', () => {
  assert.deepEqual(segments('Hi {{userId}}, {{x}}!', 'al', null, now), [
    { text: 'Hi ' }, { text: 'al', variable: 'userId' }, { text: ', {{' }, { text: 'x}}!' },
  ]);
});

test('names the unknown variables', () => {
  assert.deepEqual(unknownVariables('{{userId}} {{mood}} {{ date }} {{mood}}'), ['mood', ' date ']);
});
