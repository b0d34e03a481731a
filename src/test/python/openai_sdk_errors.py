"""Checks /v1 error statuses with the official OpenAI Python SDK, at its default of two retries.

Run against a server started with the admin key below (any database), e.g.
  CHATAI_PORT=3300 CHATAI_DATA_DIR=$(mktemp -d) CHATAI_ADMIN_KEY=sdk-check-admin-key-0123456789abcdef \
    java -jar target/chatai-server.jar &
  pip install openai && python3 src/test/python/openai_sdk_errors.py http://127.0.0.1:3300
It starts its own fake upstream (an OpenAI-compatible server answering each model with a fixed status),
adds channels for it, and checks that a caller's mistake raises the right exception quickly, after one
request: a typo'd model NotFoundError, an upstream's 400 BadRequestError, 422 UnprocessableEntityError,
413 APIStatusError. Exits non-zero on the first failed check.
"""
import json
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import openai

try:  # the HTTP client the SDK is built on: httpx2 in openai 3.x, httpx before
    import httpx2 as httpx
except ImportError:
    import httpx

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:3300"
ADMIN_KEY = "sdk-check-admin-key-0123456789abcdef"
ANSWERS = {  # model -> (status, message) the fake upstream answers
    "bad-temperature": (400, "Invalid value for 'temperature': must be at most 2."),
    "unprocessable": (422, "messages[0].content: field required"),
    "too-large": (413, "Request too large for this model"),
    "gone-model": (404, "The model `gone-model` does not exist or you do not have access to it."),
}


class FakeUpstream(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        status, message = ANSWERS.get(body["model"], (200, None))
        if status == 200:
            payload = {"id": "x", "object": "chat.completion", "model": body["model"], "choices": [
                {"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}]}
        else:
            payload = {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": None}}
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def admin_post(path, body):
    request = urllib.request.Request(BASE + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": "Bearer " + ADMIN_KEY, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def main():
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), FakeUpstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    base_url = "http://127.0.0.1:%d/v1" % upstream.server_address[1]
    admin_post("/api/channels", {"name": "sdk-check", "type": "openai", "baseUrl": base_url, "apiKeys": ["sk-sdk-check"],
                                 "models": ["gpt-4o-mini"] + list(ANSWERS)})

    sent = []
    client = openai.OpenAI(api_key=ADMIN_KEY, base_url=BASE + "/v1",  # max_retries left at the SDK's default (2)
                           http_client=httpx.Client(event_hooks={"request": [lambda request: sent.append(request.url)]}))
    cases = [("gpt-4o-mni", openai.NotFoundError, 404), ("gone-model", openai.NotFoundError, 404),
             ("bad-temperature", openai.BadRequestError, 400), ("unprocessable", openai.UnprocessableEntityError, 422),
             ("too-large", openai.APIStatusError, 413)]
    failures = 0
    for model, expected, status in cases:
        sent.clear()
        started = time.monotonic()
        try:
            client.chat.completions.create(model=model, messages=[{"role": "user", "content": "hi"}])
            outcome, ok = "no error", False
        except openai.APIStatusError as e:
            elapsed = time.monotonic() - started
            ok = type(e) is expected and e.status_code == status and len(sent) == 1 and elapsed < 2
            outcome = "%s %d after %d request(s) in %.2f s: %s" % (type(e).__name__, e.status_code, len(sent), elapsed, e.message)
        print(("ok   " if ok else "FAIL ") + model + ": " + outcome)
        failures += 0 if ok else 1
    answer = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    print("ok   gpt-4o-mini: answered " + repr(answer.choices[0].message.content))
    print("openai %s: %d of %d checks failed" % (openai.__version__, failures, len(cases)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
