// Drives /v1/chat/completions with the official OpenAI Node SDK, as a user's code would, and prints what it got as
// one JSON object: a tool loop, a structured-output parse, an image question and a streamed tool call.
// Run by GatewaySdkIT with BASE_URL (the server's /v1), API_KEY and MODEL in the environment.
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY, maxRetries: 0 });
const model = process.env.MODEL;
const tools = [{ type: 'function', function: {
  name: 'get_weather', description: 'The weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];
const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

async function toolLoop() {
  const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
  const first = await client.chat.completions.create({ model, messages, tools });
  const message = first.choices[0].message;
  const call = message.tool_calls[0];
  messages.push(message); // as user code does: the assistant message back as the SDK returned it
  messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify({ temperature: 18 }) });
  const second = await client.chat.completions.create({ model, messages, tools });
  return { finish: first.choices[0].finish_reason, id: call.id, name: call.function.name,
    arguments: JSON.parse(call.function.arguments), answer: second.choices[0].message.content,
    finalFinish: second.choices[0].finish_reason };
}

async function parse() {
  const completion = await client.chat.completions.parse({ model,
    messages: [{ role: 'user', content: 'Report the weather in Paris as JSON.' }],
    response_format: { type: 'json_schema', json_schema: { name: 'Weather', strict: true, schema: {
      type: 'object', properties: { city: { type: 'string' }, temperature: { type: 'integer' } },
      required: ['city', 'temperature'], additionalProperties: false } } } });
  return completion.choices[0].message.parsed;
}

async function image() {
  const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: [
    { type: 'text', text: 'What is in this image?' },
    { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } }] }] });
  return completion.choices[0].message.content;
}

async function streamedToolCall() {
  const stream = client.chat.completions.stream({ model, tools, stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'What is the weather in Paris?' }] });
  const final = await stream.finalChatCompletion();
  const call = final.choices[0].message.tool_calls[0];
  return { finish: final.choices[0].finish_reason, id: call.id, name: call.function.name,
    arguments: JSON.parse(call.function.arguments), totalTokens: final.usage ? final.usage.total_tokens : null };
}

console.log(JSON.stringify({ toolLoop: await toolLoop(), parse: await parse(), image: await image(),
  streamedToolCall: await streamedToolCall() }));
