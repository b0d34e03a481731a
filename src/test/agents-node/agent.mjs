// Runs one tool-using agent of the OpenAI Agents SDK for JavaScript through /v1/responses (the SDK's default API)
// and prints what it got as one JSON object. Run by AgentsSdkIT with BASE_URL (the server's /v1), API_KEY and MODEL
// in the environment; tracing is off, so nothing leaves the machine.
import OpenAI from 'openai';
import { Agent, run, tool, setDefaultOpenAIClient, setOpenAIAPI, setTracingDisabled } from '@openai/agents';
import { z } from 'zod';

setTracingDisabled(true);
setOpenAIAPI('responses');
setDefaultOpenAIClient(new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY, maxRetries: 0 }));

const calls = [];
const getWeather = tool({
  name: 'get_weather',
  description: 'The weather in a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => {
    calls.push(city);
    return JSON.stringify({ city, temperature: 18 });
  },
});

const agent = new Agent({ name: 'Weather agent', instructions: 'Answer with the weather tool.', model: process.env.MODEL,
  tools: [getWeather] });
const result = await run(agent, 'What is the weather in Paris?');
console.log(JSON.stringify({ calls, finalOutput: result.finalOutput }));
