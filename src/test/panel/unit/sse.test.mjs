// The panel's SSE parser: the standard's line endings, comments, multi-line data, and events split
// anywhere across network chunks (also inside a \r\n pair or a multi-byte character).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPanelModule } from './load.mjs';

const { SseParser, readEvents } = await loadPanelModule('sse.js');

const STREAM = ': keep-alive\n\ndata: {"type":"start","conversationId":"conv_1"}\n\n'
  + 'data: {"type":"content","text":"Hé 👋"}\r\n\r\n'
  + 'event: note\rdata: line one\rdata:line two\r\r'
  + 'data: {"type":"end"}\n\n';
const EXPECTED = [
  { event: 'message', data: '{"type":"start","conversationId":"conv_1"}' },
  { event: 'message', data: '{"type":"content","text":"Hé 👋"}' },
  { event: 'note', data: 'line one\nline two' },
  { event: 'message', data: '{"type":"end"}' },
];

test('parses a whole stream', () => {
  const parser = new SseParser();
  assert.deepEqual([...parser.push(STREAM), ...parser.end()], EXPECTED);
});

test('gives the same events however the text is split', () => {
  for (let size = 1; size <= 7; size++) {
    const parser = new SseParser();
    const events = [];
    for (let i = 0; i < STREAM.length; i += size) events.push(...parser.push(STREAM.slice(i, i + size)));
    events.push(...parser.end());
    assert.deepEqual(events, EXPECTED, `chunks of ${size}`);
  }
});

test('drops an event the stream cut off before its blank line', () => {
  const parser = new SseParser();
  assert.deepEqual([...parser.push('data: {"type":"content","text":"a"}\n\ndata: {"type":"con'), ...parser.end()],
    [{ event: 'message', data: '{"type":"content","text":"a"}' }]);
});

test('reads a byte stream split inside multi-byte characters', async () => {
  const bytes = new TextEncoder().encode(STREAM);
  const body = new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 3) controller.enqueue(bytes.slice(i, i + 3));
      controller.close();
    },
  });
  const events = [];
  for await (const event of readEvents(body)) events.push(event);
  assert.deepEqual(events, EXPECTED);
});
