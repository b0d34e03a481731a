"""Drives /v1/chat/completions with the official OpenAI Python SDK, as a user's code would, and prints what it got
as one JSON object: a tool loop, a structured-output `parse`, an image question and a streamed tool call.

Run by GatewaySdkIT with BASE_URL (the server's /v1), API_KEY and MODEL in the environment; the fake upstream behind
the server answers by the wording of each question.
"""
import json
import os

import openai
from pydantic import BaseModel

client = openai.OpenAI(base_url=os.environ["BASE_URL"], api_key=os.environ["API_KEY"], max_retries=0)
MODEL = os.environ["MODEL"]
TOOLS = [{"type": "function", "function": {
    "name": "get_weather", "description": "The weather in a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]
PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


class Weather(BaseModel):
    city: str
    temperature: int


def tool_loop():
    messages = [{"role": "user", "content": "What is the weather in Paris?"}]
    first = client.chat.completions.create(model=MODEL, messages=messages, tools=TOOLS)
    message = first.choices[0].message
    call = message.tool_calls[0]
    # What user code does: the assistant message goes back as the SDK returned it (extra fields included).
    messages.append(message.model_dump(exclude_none=True))
    messages.append({"role": "tool", "tool_call_id": call.id, "content": json.dumps({"temperature": 18})})
    second = client.chat.completions.create(model=MODEL, messages=messages, tools=TOOLS)
    return {"finish": first.choices[0].finish_reason, "id": call.id, "name": call.function.name,
            "arguments": json.loads(call.function.arguments), "answer": second.choices[0].message.content,
            "finalFinish": second.choices[0].finish_reason}


def parse():
    completion = client.chat.completions.parse(
        model=MODEL, messages=[{"role": "user", "content": "Report the weather in Paris as JSON."}], response_format=Weather)
    return completion.choices[0].message.parsed.model_dump()


def image():
    completion = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": [
        {"type": "text", "text": "What is in this image?"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64," + PNG}}]}])
    return completion.choices[0].message.content


def streamed_tool_call():
    with client.chat.completions.stream(model=MODEL, tools=TOOLS, stream_options={"include_usage": True},
                                        messages=[{"role": "user", "content": "What is the weather in Paris?"}]) as stream:
        for _ in stream:
            pass
        final = stream.get_final_completion()
    call = final.choices[0].message.tool_calls[0]
    return {"finish": final.choices[0].finish_reason, "id": call.id, "name": call.function.name,
            "arguments": json.loads(call.function.arguments), "totalTokens": final.usage.total_tokens if final.usage else None}


print(json.dumps({"toolLoop": tool_loop(), "parse": parse(), "image": image(), "streamedToolCall": streamed_tool_call()}))
