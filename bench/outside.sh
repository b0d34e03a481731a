#!/usr/bin/env bash
# The added latency an outside client sees, in one command: a Node.js OpenAI mock answering at once
# (bench/outside/mock.js, not bench/FakeUpstream.java) and a sequential keep-alive Python http.client loop
# (bench/outside/client.py, not bench/Load.java), sending the same requests straight to the mock ("direct")
# and through ChatAI's /v1/chat/completions and /api/chat, interleaved in rounds, after a warm-up. Prints a
# markdown table of the medians over the rounds, with CPU per request of ChatAI and of the mock.
#
#   bench/outside.sh                       # 12,000 warm-up + 5 rounds of 3,000 requests per target
#   bench/outside.sh --warmup 2000 --requests 1000 --rounds 3
#   bench/outside.sh --jar /tmp/old.jar    # another build of the server (before/after a change)
#   bench/outside.sh --jvm-opts "-XX:+UseSerialGC" --jfr /tmp/x.jfr
#   bench/outside.sh --b-jar /tmp/before.jar   # a second server (B) measured in the same rounds: A/B of a change
#   bench/outside.sh --b-jvm-opts "-Djdk.pollerMode=1"  # B = the same jar with other JVM flags
#   bench/outside.sh --clients 64 --b-jar /tmp/before.jar  # 64 connections per target (threads; CPU/req under overlap)
#   bench/outside.sh --only direct,v1,messages,responses,chat   # also /v1/messages and /v1/responses (translated to the mock)
#
# Environment: JAVA_HOME (JDK 25), CHATAI_* passed on to the server. Results also go to
# bench/results/outside-<timestamp>/ (raw per-round JSON, server log).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
WARMUP=12000 REQUESTS=3000 ROUNDS=5 JAR=target/chatai-server.jar JVM_OPTS="" JFR="" ONLY="direct,v1,chat" CLIENTS=1 B_JAR="" B_OPTS="" B=0
while [ $# -gt 0 ]; do
  case "$1" in
    --warmup) WARMUP=$2; shift 2 ;;
    --requests) REQUESTS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --jar) JAR=$2; shift 2 ;;
    --jvm-opts) JVM_OPTS=$2; shift 2 ;;
    --jfr) JFR=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --b-jar) B_JAR=$2; B=1; shift 2 ;;
    --b-jvm-opts) B_OPTS=$2; B=1; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -z "${JAVA_HOME:-}" ] || ! "${JAVA_HOME}/bin/java" -version 2>&1 | grep -q 'version "25'; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
if [ "$JAR" = target/chatai-server.jar ] && { [ ! -f "$JAR" ] || [ -n "$(find src pom.xml -newer "$JAR" -print -quit)" ]; }; then
  echo "outside: building $JAR" >&2
  ./mvnw -q -o -DskipTests package >&2
fi

RUN=bench/results/outside-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUN"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$RUN"/data-*; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 300); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.2; done; echo "port $1 never opened" >&2; exit 1; }

MOCK_PORT=$(free_port)
node bench/outside/mock.js "$MOCK_PORT" >"$RUN/mock.log" 2>&1 &
MOCK_PID=$!; PIDS+=("$MOCK_PID")
wait_port "$MOCK_PORT"

ADMIN=adm-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
start_server() { # start_server NAME JAR "JVM OPTS": starts a ChatAI on a fresh data dir, adds the mock as channel; sets PORT, PID, KEY
  local name=$1 jar=$2 opts=$3 flags=()
  PORT=$(free_port)
  mkdir -p "$RUN/data-$name"
  [ -n "$JFR" ] && [ "$name" = a ] && flags+=("-XX:StartFlightRecording=filename=$JFR,settings=profile,dumponexit=true")
  # shellcheck disable=SC2206
  [ -n "$opts" ] && flags+=($opts)
  env CHATAI_HOST=127.0.0.1 CHATAI_PORT="$PORT" CHATAI_DATA_DIR="$RUN/data-$name" CHATAI_ADMIN_KEY="$ADMIN" \
      CHATAI_RATE_LIMIT_PER_MINUTE=0 CHATAI_USER_RATE_LIMIT_PER_MINUTE=0 CHATAI_DEFAULT_MODEL=fake \
      "$JAVA_HOME/bin/java" "${flags[@]}" -jar "$jar" >"$RUN/chatai-$name.log" 2>&1 &
  PID=$!; PIDS+=("$PID")
  for _ in $(seq 1 450); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break; sleep 0.2; done
  api() { curl -fsS -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d "$2" "http://127.0.0.1:$PORT$1"; }
  api /api/channels "{\"name\":\"mock\",\"type\":\"openai\",\"baseUrl\":\"http://127.0.0.1:$MOCK_PORT/v1\",\"apiKeys\":[\"sk-x\"],\"models\":[\"*\"]}" >/dev/null
  KEY=$(api /api/keys '{"name":"outside"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["key"])')
}
start_server a "$JAR" "$JVM_OPTS"; SERVER_PID=$PID; A_PORT=$PORT; A_KEY=$KEY
B_PID=0 B_PORT=0 B_KEY=""
if [ "$B" = 1 ]; then start_server b "${B_JAR:-$JAR}" "$B_OPTS"; B_PID=$PID; B_PORT=$PORT; B_KEY=$KEY; fi

BODY='{"model":"fake","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say lorem six times."}]}'
CONFIG=$(ONLY="$ONLY" CLIENTS="$CLIENTS" python3 - "$MOCK_PORT" "$A_PORT" "$A_KEY" "$BODY" "$MOCK_PID" "$SERVER_PID" "$WARMUP" "$REQUESTS" "$ROUNDS" \
    "$B_PORT" "$B_KEY" "$B_PID" <<'PY'
import json, os, sys
mock, port, key, body, mpid, spid, warm, n, rounds, bport, bkey, bpid = sys.argv[1:]
def chatai(suffix, port, key, spid):
  return {
  'v1': dict(name='chatai-v1' + suffix, host='127.0.0.1', port=int(port), path='/v1/chat/completions', body=body,
             headers={'Authorization': 'Bearer ' + key}, pids={'chatai': int(spid), 'mock': int(mpid)}),
  'messages': dict(name='chatai-messages' + suffix, host='127.0.0.1', port=int(port), path='/v1/messages',
                   body='{"model":"fake","max_tokens":64,"system":"You are terse.","messages":[{"role":"user","content":"Say lorem six times."}]}',
                   headers={'x-api-key': key, 'anthropic-version': '2023-06-01'}, pids={'chatai': int(spid), 'mock': int(mpid)}),
  'responses': dict(name='chatai-responses' + suffix, host='127.0.0.1', port=int(port), path='/v1/responses',
                    body='{"model":"fake","store":false,"instructions":"You are terse.","input":"Say lorem six times."}',
                    headers={'Authorization': 'Bearer ' + key}, pids={'chatai': int(spid), 'mock': int(mpid)}),
  'chat': dict(name='chatai-chat' + suffix, host='127.0.0.1', port=int(port), path='/api/chat', users=1000,
               body='{"message":"Say lorem six times.","userId":"o{user}","groupId":"g1"}',
               headers={'Authorization': 'Bearer ' + key}, pids={'chatai': int(spid), 'mock': int(mpid)}),
  }
all_targets = {
  'direct': dict(name='direct', host='127.0.0.1', port=int(mock), path='/v1/chat/completions', body=body,
                 headers={'Authorization': 'Bearer sk-x'}, pids={'mock': int(mpid)}),
}
a, b = chatai('', port, key, spid), (chatai('-b', bport, bkey, bpid) if int(bpid) else {})
targets = []
for t in os.environ['ONLY'].split(','):
  targets += [all_targets[t]] if t == 'direct' else [a[t]] + ([b[t]] if b else [])
print(json.dumps(dict(warmup=int(warm), requests=int(n), rounds=int(rounds), clients=int(os.environ['CLIENTS']), targets=targets)))
PY
)
echo "outside: load before: $(cut -d' ' -f1-3 /proc/loadavg)  (mock pid $MOCK_PID, chatai pid $SERVER_PID, B pid $B_PID, results in $RUN)" >&2
{ echo "A: jar $JAR, JVM options: ${JVM_OPTS:-none}"; if [ "$B" = 1 ]; then echo "B: jar ${B_JAR:-$JAR}, JVM options: ${B_OPTS:-none}"; fi; } | tee "$RUN/setup.txt" >&2
python3 bench/outside/client.py "$CONFIG" >"$RUN/rounds.json" 2>"$RUN/client.log" || { cat "$RUN/client.log" >&2; exit 1; }
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
if [ -n "$JFR" ]; then "$JAVA_HOME/bin/jcmd" "$SERVER_PID" JFR.dump filename="$JFR" >/dev/null 2>&1 || true; fi
{ cat "$RUN/setup.txt"; echo; python3 bench/outside/report.py "$RUN/rounds.json" "$LOAD_AFTER"; } | tee "$RUN/report.md"
