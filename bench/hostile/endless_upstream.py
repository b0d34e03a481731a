"""An OpenAI-compatible upstream that never ends its answers: endless deltas, or one SSE line without end.
Usage: python3 endless_upstream.py PORT deltas|line"""
import json, socket, sys, threading

PORT, MODE = int(sys.argv[1]), sys.argv[2]
DELTA = ("data: " + json.dumps({"id": "x", "object": "chat.completion.chunk", "choices": [
    {"index": 0, "delta": {"content": "lorem ipsum " * 80}, "finish_reason": None}]}) + "\n\n").encode()
BLOCK = b"a" * 65536

def serve(conn):
    try:
        buf = b""
        while b"\r\n\r\n" not in buf:
            buf += conn.recv(65536)
        head, _, body = buf.partition(b"\r\n\r\n")
        length = next((int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")), 0)
        while len(body) < length:
            body += conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n")
        if MODE == "line":
            conn.sendall(b'data: {"choices": [{"delta": {"content": "')
            while True:
                conn.sendall(BLOCK)
        while True:
            conn.sendall(DELTA * 16)
    except OSError:
        pass
    finally:
        conn.close()

server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", PORT))
server.listen(64)
while True:
    c, _ = server.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
