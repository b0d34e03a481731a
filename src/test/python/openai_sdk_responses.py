"""Drives /v1/responses with the official OpenAI Python SDK, as a user's code would, and prints what it got as one
JSON object: a tool loop continued by previous_response_id, the same loop with the whole input replayed
(store=False, encrypted reasoning asked for), and a streamed tool call read through the SDK's stream helper.

Run by ResponsesSdkIT with BASE_URL (the server's /v1), API_KEY and MODEL in the environment; the fake upstream
behind the server answers by the wording of each request.
"""
import json
import os

import openai

client = openai.OpenAI(base_url=os.environ["BASE_URL"], api_key=os.environ["API_KEY"], max_retries=0)
MODEL = os.environ["MODEL"]
TOOLS = [{"type": "function", "name": "get_weather", "description": "The weather in a city", "strict": True,
          "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"],
                         "additionalProperties": False}}]
QUESTION = "What is the weather in Paris?"


def call_of(response):
    calls = [item for item in response.output if item.type == "function_call"]
    return calls[0]


def chained_loop():
    first = client.responses.create(model=MODEL, input=QUESTION, tools=TOOLS)
    call = call_of(first)
    second = client.responses.create(model=MODEL, previous_response_id=first.id, tools=TOOLS, input=[
        {"type": "function_call_output", "call_id": call.call_id, "output": json.dumps({"temperature": 18})}])
    stored = client.responses.retrieve(second.id)
    client.responses.delete(first.id)
    try:
        client.responses.retrieve(first.id)
        gone = False
    except openai.NotFoundError:
        gone = True
    return {"id": first.id, "status": first.status, "callId": call.call_id, "name": call.name,
            "arguments": json.loads(call.arguments), "answer": second.output_text, "storedAnswer": stored.output_text,
            "previous": second.previous_response_id, "deletedGone": gone,
            "totalTokens": second.usage.total_tokens}


def replayed_loop():
    items = [{"role": "user", "content": QUESTION}]
    first = client.responses.create(model=MODEL, input=items, tools=TOOLS, store=False,
                                    include=["reasoning.encrypted_content"])
    call = call_of(first)
    items += [item.model_dump(exclude_none=True) for item in first.output]
    items.append({"type": "function_call_output", "call_id": call.call_id, "output": json.dumps({"temperature": 18})})
    second = client.responses.create(model=MODEL, input=items, tools=TOOLS, store=False)
    return {"name": call.name, "answer": second.output_text}


def streamed_tool_call():
    types = []
    with client.responses.stream(model=MODEL, input=QUESTION, tools=TOOLS) as stream:
        for event in stream:
            types.append(event.type)
        final = stream.get_final_response()
    call = call_of(final)
    return {"first": types[0], "last": types[-1], "name": call.name, "arguments": json.loads(call.arguments),
            "callId": call.call_id, "totalTokens": final.usage.total_tokens}


print(json.dumps({"chained": chained_loop(), "replayed": replayed_loop(), "streamed": streamed_tool_call()}))
