"""Drives /v1/messages with the official Anthropic Python SDK, as a user's code would, and prints what it got as one
JSON object: a tool loop (the assistant's content blocks sent back as the SDK returned them), a stream read with the
SDK's helpers (`messages.stream(...)`, `text_stream`, `get_final_message()`), and `count_tokens`.

Run by AnthropicSdkIT with BASE_URL (the server's root), API_KEY (sent as x-api-key) and MODEL in the environment;
the fake upstream behind the server answers by the wording of each question.
"""
import json
import os

import anthropic

client = anthropic.Anthropic(base_url=os.environ["BASE_URL"], api_key=os.environ["API_KEY"], max_retries=0)
MODEL = os.environ["MODEL"]
TOOLS = [{"name": "get_weather", "description": "The weather in a city",
          "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}]
QUESTION = {"role": "user", "content": "What is the weather in Paris?"}


def tool_loop():
    messages = [QUESTION]
    first = client.messages.create(model=MODEL, max_tokens=2048, messages=messages, tools=TOOLS,
                                   metadata={"user_id": json.dumps({"device_id": "d" * 64, "session_id": "s-1"})})
    call = next(block for block in first.content if block.type == "tool_use")
    messages.append({"role": "assistant", "content": first.content})  # the blocks as the SDK returned them
    messages.append({"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": call.id, "content": json.dumps({"temperature": 18})}]})
    second = client.messages.create(model=MODEL, max_tokens=2048, messages=messages, tools=TOOLS)
    return {"stop": first.stop_reason, "id": call.id, "name": call.name, "input": call.input,
            "blocks": [block.type for block in first.content],
            "answer": "".join(block.text for block in second.content if block.type == "text"),
            "finalStop": second.stop_reason}


def streamed():
    with client.messages.stream(model=MODEL, max_tokens=2048, messages=[QUESTION], tools=TOOLS) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    call = next(block for block in final.content if block.type == "tool_use")
    thinking = [block.thinking for block in final.content if block.type == "thinking"]
    return {"text": text, "stop": final.stop_reason, "name": call.name, "input": call.input,
            "thinking": thinking, "outputTokens": final.usage.output_tokens}


def count():
    return client.messages.count_tokens(model=MODEL, messages=[QUESTION], tools=TOOLS).input_tokens


print(json.dumps({"toolLoop": tool_loop(), "stream": streamed(), "count": count()}))
