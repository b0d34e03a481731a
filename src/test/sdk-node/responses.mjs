// Drives /v1/responses with the official OpenAI Node SDK, as a user's code would, and prints what it got as one
// JSON object: a tool loop continued by previous_response_id, the same loop with the whole input replayed
// (store: false, encrypted reasoning asked for), and a streamed tool call read through the SDK's stream helper.
// Run by ResponsesSdkIT with BASE_URL (the server's /v1), API_KEY and MODEL in the environment.
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY, maxRetries: 0 });
const model = process.env.MODEL;
const tools = [{ type: 'function', name: 'get_weather', description: 'The weather in a city', strict: true,
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } }];
const question = 'What is the weather in Paris?';
const callOf = (response) => response.output.find((item) => item.type === 'function_call');

async function chainedLoop() {
  const first = await client.responses.create({ model, input: question, tools });
  const call = callOf(first);
  const second = await client.responses.create({ model, previous_response_id: first.id, tools,
    input: [{ type: 'function_call_output', call_id: call.call_id, output: JSON.stringify({ temperature: 18 }) }] });
  const stored = await client.responses.retrieve(second.id);
  await client.responses.delete(first.id);
  let gone = false;
  try {
    await client.responses.retrieve(first.id);
  } catch (e) {
    gone = e instanceof OpenAI.NotFoundError;
  }
  return { id: first.id, status: first.status, callId: call.call_id, name: call.name, arguments: JSON.parse(call.arguments),
    answer: second.output_text, storedAnswer: stored.output_text, previous: second.previous_response_id, deletedGone: gone,
    totalTokens: second.usage.total_tokens };
}

async function replayedLoop() {
  const items = [{ role: 'user', content: question }];
  const first = await client.responses.create({ model, input: items, tools, store: false, include: ['reasoning.encrypted_content'] });
  const call = callOf(first);
  items.push(...first.output);
  items.push({ type: 'function_call_output', call_id: call.call_id, output: JSON.stringify({ temperature: 18 }) });
  const second = await client.responses.create({ model, input: items, tools, store: false });
  return { name: call.name, answer: second.output_text };
}

async function streamedToolCall() {
  const types = [];
  const stream = client.responses.stream({ model, input: question, tools });
  for await (const event of stream) {
    types.push(event.type);
  }
  const final = await stream.finalResponse();
  const call = callOf(final);
  return { first: types[0], last: types.at(-1), name: call.name, arguments: JSON.parse(call.arguments), callId: call.call_id,
    totalTokens: final.usage.total_tokens };
}

console.log(JSON.stringify({ chained: await chainedLoop(), replayed: await replayedLoop(), streamed: await streamedToolCall() }));
