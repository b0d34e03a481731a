// Drives /v1/messages with the official Anthropic TypeScript SDK, as a user's code would, and prints what it got as
// one JSON object: a tool loop (the assistant's content blocks sent back as returned), a stream read with the SDK's
// helpers (messages.stream(...), on('text'), finalMessage()), and countTokens.
// Run by AnthropicSdkIT with BASE_URL (the server's root), API_KEY (sent as a Bearer token) and MODEL in the environment.
import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic({ baseURL: process.env.BASE_URL, apiKey: null, authToken: process.env.API_KEY, maxRetries: 0 });
const model = process.env.MODEL;
const tools = [{ name: 'get_weather', description: 'The weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
const question = { role: 'user', content: 'What is the weather in Paris?' };

async function toolLoop() {
  const messages = [question];
  const first = await client.messages.create({ model, max_tokens: 2048, messages, tools });
  const call = first.content.find((block) => block.type === 'tool_use');
  messages.push({ role: 'assistant', content: first.content });
  messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id,
    content: JSON.stringify({ temperature: 18 }) }] });
  const second = await client.messages.create({ model, max_tokens: 2048, messages, tools });
  return { stop: first.stop_reason, id: call.id, name: call.name, input: call.input,
    blocks: first.content.map((block) => block.type),
    answer: second.content.filter((block) => block.type === 'text').map((block) => block.text).join(''),
    finalStop: second.stop_reason };
}

async function streamed() {
  let text = '';
  const stream = client.messages.stream({ model, max_tokens: 2048, messages: [question], tools });
  stream.on('text', (delta) => { text += delta; });
  const final = await stream.finalMessage();
  const call = final.content.find((block) => block.type === 'tool_use');
  return { text, stop: final.stop_reason, name: call.name, input: call.input,
    thinking: final.content.filter((block) => block.type === 'thinking').map((block) => block.thinking),
    outputTokens: final.usage.output_tokens };
}

async function count() {
  return (await client.messages.countTokens({ model, messages: [question], tools })).input_tokens;
}

console.log(JSON.stringify({ toolLoop: await toolLoop(), stream: await streamed(), count: await count() }));
