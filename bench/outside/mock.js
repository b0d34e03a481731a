// An OpenAI chat-completions mock that answers at once: the outside fake upstream of bench/outside.sh
// (deliberately not bench/FakeUpstream.java, so the bench's own fake cannot hide a cost). Node's http
// module, keep-alive, JSON or SSE ("stream": true); every content delta is "lorem ". Usage: node mock.js PORT
'use strict';
const http = require('http');
const port = Number(process.argv[2] || 0);
const CHUNKS = 6;

function completion(model, promptTokens) {
  return JSON.stringify({
    id: 'chatcmpl-mock', object: 'chat.completion', created: 1700000000, model,
    choices: [{ index: 0, message: { role: 'assistant', content: 'lorem '.repeat(CHUNKS) }, finish_reason: 'stop' }],
    usage: { prompt_tokens: promptTokens, completion_tokens: CHUNKS, total_tokens: promptTokens + CHUNKS },
  });
}

function chunk(model, delta, finish, usage) {
  const c = { id: 'chatcmpl-mock', object: 'chat.completion.chunk', created: 1700000000, model,
    choices: usage ? [] : [{ index: 0, delta, finish_reason: finish }] };
  if (usage) c.usage = usage;
  return 'data: ' + JSON.stringify(c) + '\n\n';
}

const server = http.createServer((req, res) => {
  const parts = [];
  req.on('data', (d) => parts.push(d));
  req.on('end', () => {
    if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
      return;
    }
    const raw = Buffer.concat(parts);
    let body;
    try { body = JSON.parse(raw); } catch (e) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"bad json","type":"invalid_request_error"}}');
      return;
    }
    const model = body.model || 'mock';
    const promptTokens = Math.ceil(raw.length / 4);
    if (!body.stream) {
      const out = completion(model, promptTokens);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
      res.end(out);
      return;
    }
    let out = chunk(model, { role: 'assistant', content: '' }, null);
    for (let i = 0; i < CHUNKS; i++) out += chunk(model, { content: 'lorem ' }, null);
    out += chunk(model, {}, 'stop');
    out += chunk(model, null, null, { prompt_tokens: promptTokens, completion_tokens: CHUNKS, total_tokens: promptTokens + CHUNKS });
    out += 'data: [DONE]\n\n';
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.end(out);
  });
});
server.keepAliveTimeout = 120000;
server.headersTimeout = 121000;
server.listen(port, '127.0.0.1', () => console.log('mock listening on ' + server.address().port));
