// A real MCP server for ChatAI's tool tests, built on the official TypeScript SDK's low-level Server (so that
// tools/list can page: the high-level McpServer answers in one page).
//
//   node server.mjs --transport streamable-http|sse|stdio [--port N] [--page-size N] [--extra-tools N]
//
// HTTP transports print "listening <port>" on stdout once they accept connections and serve the MCP endpoint at
// /mcp (Streamable HTTP) or /sse + /messages (HTTP+SSE, where a POST to /sse is 405 like any SSE-only server).
// Beside it, /control/* lets the test look inside: the requests and headers received, the cancellations seen, and
// tools added at runtime (which sends notifications/tools/list_changed to every session).
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema, isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
    arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []));
const transportKind = args.transport ?? 'streamable-http';
const pageSize = Number(args['page-size'] ?? 100);

const object = (properties, required = []) => ({ type: 'object', properties, required });
const tools = [
    { name: 'echo', description: 'Returns the text it is given.', inputSchema: object({ text: { type: 'string' } }, ['text']) },
    { name: 'add', description: 'Adds two numbers.', inputSchema: object({ a: { type: 'number' }, b: { type: 'number' } }, ['a', 'b']) },
    { name: 'fail', description: 'Answers with an error result.', inputSchema: object({}) },
    { name: 'explode', description: 'Throws, so the server answers with a JSON-RPC error.', inputSchema: object({}) },
    { name: 'sleep', description: 'Waits ms milliseconds.', inputSchema: object({ ms: { type: 'integer' } }, ['ms']) },
    { name: 'big', description: 'Returns a text of the given size in bytes.', inputSchema: object({ bytes: { type: 'integer' } }, ['bytes']) },
    { name: 'picture', description: 'Returns a 1x1 PNG and a caption.', inputSchema: object({}) },
    { name: 'environment', description: 'Returns the names of the environment variables the process has.', inputSchema: object({}) },
    { name: 'bad.name', description: 'A name no provider accepts.', inputSchema: object({}) },
];
for (let i = 1; i <= Number(args['extra-tools'] ?? 0); i++) {
    tools.push({ name: `extra_${String(i).padStart(3, '0')}`, description: `Extra tool ${i}.`, inputSchema: object({}) });
}

const servers = new Set();  // one SDK Server per session, so that list_changed reaches every session
const requests = [];        // {method, path, headers} of every HTTP request
const cancelled = [];       // tool calls the client cancelled

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const text = value => ({ content: [{ type: 'text', text: value }] });

async function callTool(request, extra) {
    const params = request.params.arguments ?? {};
    switch (request.params.name) {
        case 'echo': return text(String(params.text));
        case 'add': return text(String(params.a + params.b));
        case 'fail': return { content: [{ type: 'text', text: 'it failed on purpose' }], isError: true };
        case 'explode': throw new Error('the tool exploded');
        case 'sleep':
            return await new Promise(resolve => {
                const timer = setTimeout(() => resolve(text('slept ' + params.ms)), params.ms);
                extra.signal.addEventListener('abort', () => {
                    clearTimeout(timer);
                    cancelled.push({ tool: 'sleep', requestId: extra.requestId });
                    resolve(text('cancelled'));
                });
            });
        case 'big': return text('x'.repeat(params.bytes));
        case 'picture': return { content: [{ type: 'image', data: PNG, mimeType: 'image/png' }, { type: 'text', text: 'a red dot' }] };
        case 'environment': return text(JSON.stringify(Object.keys(process.env).sort()));
        default:
            if (tools.some(t => t.name === request.params.name)) {
                return text('ran ' + request.params.name);
            }
            throw new Error('unknown tool ' + request.params.name);
    }
}

function newServer() {
    const server = new Server({ name: 'chatai-test-tools', version: '1.0.0' }, { capabilities: { tools: { listChanged: true } } });
    server.setRequestHandler(ListToolsRequestSchema, async request => {
        const start = Number(request.params?.cursor ?? 0);
        const page = tools.slice(start, start + pageSize);
        const next = start + pageSize < tools.length ? String(start + pageSize) : undefined;
        return next === undefined ? { tools: page } : { tools: page, nextCursor: next };
    });
    server.setRequestHandler(CallToolRequestSchema, callTool);
    server.onclose = () => servers.delete(server);
    servers.add(server);
    return server;
}

if (transportKind === 'stdio') {
    await newServer().connect(new StdioServerTransport());
} else {
    const sessions = {};
    const readBody = req => new Promise((resolve, reject) => {
        let data = '';
        req.setEncoding('utf8');
        req.on('data', chunk => { data += chunk; });
        req.on('end', () => resolve(data ? JSON.parse(data) : undefined));
        req.on('error', reject);
    });
    const json = (res, status, body) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));

    const httpServer = http.createServer(async (req, res) => {
        const url = new URL(req.url, 'http://localhost');
        try {
            if (url.pathname.startsWith('/control/')) {
                if (url.pathname === '/control/requests') return json(res, 200, requests);
                if (url.pathname === '/control/cancelled') return json(res, 200, cancelled);
                if (url.pathname === '/control/add-tool') {
                    const { name } = await readBody(req);
                    tools.push({ name, description: 'Added at runtime.', inputSchema: object({}) });
                    await Promise.all([...servers].map(s => s.sendToolListChanged().catch(() => {})));
                    return json(res, 200, { tools: tools.length, sessions: servers.size });
                }
                return json(res, 404, {});
            }
            requests.push({ method: req.method, path: url.pathname, headers: req.headers });
            const body = req.method === 'POST' ? await readBody(req) : undefined;
            if (transportKind === 'streamable-http' && url.pathname === '/mcp') {
                let transport = sessions[req.headers['mcp-session-id']];
                if (!transport) {
                    if (req.method !== 'POST' || !isInitializeRequest(body)) {
                        return json(res, 400, { jsonrpc: '2.0', error: { code: -32000, message: 'No valid session id' }, id: null });
                    }
                    transport = new StreamableHTTPServerTransport({
                        sessionIdGenerator: () => randomUUID(),
                        onsessioninitialized: id => { sessions[id] = transport; },
                    });
                    transport.onclose = () => delete sessions[transport.sessionId];
                    await newServer().connect(transport);
                }
                return await transport.handleRequest(req, res, body);
            }
            if (transportKind === 'sse' && url.pathname === '/sse') {
                if (req.method !== 'GET') return json(res, 405, { error: 'Method Not Allowed' });
                const transport = new SSEServerTransport('/messages', res);
                sessions[transport.sessionId] = transport;
                res.on('close', () => delete sessions[transport.sessionId]);
                return await newServer().connect(transport);
            }
            if (transportKind === 'sse' && url.pathname === '/messages' && req.method === 'POST') {
                const transport = sessions[url.searchParams.get('sessionId')];
                if (!transport) return json(res, 404, { error: 'unknown session' });
                return await transport.handlePostMessage(req, res, body);
            }
            return json(res, 404, { error: 'not found' });
        } catch (e) {
            if (!res.headersSent) json(res, 500, { error: String(e) });
        }
    });
    httpServer.listen(Number(args.port ?? 0), '127.0.0.1', () => {
        console.log('listening ' + httpServer.address().port);
    });
}
