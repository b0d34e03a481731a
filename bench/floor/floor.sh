#!/usr/bin/env bash
# Issue 20's floor comparison: four relays of POST /v1/chat/completions to one fake upstream, measured in
# alternating 64-client windows so that each round sees the same host:
#   nginx   the bench's nginx (2 workers, keep-alive pool), the reference of point 2
#   jdk     bench/floor/RelayFloor.java: the JDK's blocking sockets on virtual threads and nothing else
#   helidon io.chatai.bench.HelidonFloor: Helidon's server and HTTP/1.1 client set up as ChatAI sets them, nothing else
#   chatai  ChatAI itself (JVM defaults, SQLite, an openai channel to the fake, a client key)
# Prints one line per window (req/s, the relay's CPU per request, host busy %) and a summary of the medians with
# each relay's req/s as a share of nginx's in the same round. Needs nginx, a JDK 25 and the built jar and test
# classes (./mvnw -DskipTests package test-compile), as bench/run.sh does.
#
#   bench/floor/floor.sh [ROUNDS] [SECONDS]      # default 5 rounds of 10 s windows (about 6 minutes)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-5}
SECONDS_PER_WINDOW=${2:-10}
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
NGINX=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)
JAR=target/chatai-server.jar
for need in "$JAR" target/test-classes/io/chatai/bench/HelidonFloor.class "$NGINX"; do
  [ -e "$need" ] || { echo "floor: $need is missing: run ./mvnw -DskipTests package test-compile (and install nginx)" >&2; exit 1; }
done

RUN=$(mktemp -d /tmp/chatai-floor.XXXXXX)
BUILD="$RUN/classes"
mkdir -p "$BUILD" "$RUN/nginx/body" "$RUN/nginx/proxy" "$RUN/data"
"$JAVA_HOME/bin/javac" -d "$BUILD" $(find bench \( -path bench/portkey -o -path bench/results -o -path bench/.build \) -prune -o -name '*.java' -print)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
FAKE=$(free_port); NGX=$(free_port); JDK=$(free_port); HEL=$(free_port); CHA=$(free_port)
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; } # nginx runs in the foreground (daemon off): its master is among them
trap cleanup EXIT

"$JAVA" -cp "$BUILD" FakeUpstream "$FAKE" > "$RUN/fake.log" 2>&1 & PIDS+=($!)
cat > "$RUN/nginx/nginx.conf" <<EOF
$( [ "$(id -u)" = 0 ] && echo "user root;" )
daemon off;
worker_processes 2;
pid $RUN/nginx/nginx.pid;
error_log $RUN/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $RUN/nginx/body;
    proxy_temp_path $RUN/nginx/proxy;
    keepalive_requests 1000000;
    upstream fake { server 127.0.0.1:$FAKE; keepalive 1024; keepalive_requests 1000000; keepalive_timeout 60s; }
    server {
        listen 127.0.0.1:$NGX backlog=65535 reuseport;
        location / { proxy_pass http://fake; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; }
    }
}
EOF
"$NGINX" -e "$RUN/nginx/error.log" -p "$RUN/nginx" -c "$RUN/nginx/nginx.conf" & PIDS+=($!)
"$JAVA" -cp "$BUILD" RelayFloor "$JDK" "$FAKE" > "$RUN/jdk.log" 2>&1 & PIDS+=($!)
JDK_PID=$!
"$JAVA" -cp "$JAR:target/test-classes" io.chatai.bench.HelidonFloor "$HEL" "$FAKE" > "$RUN/helidon.log" 2>&1 & PIDS+=($!)
HELIDON_PID=$!
ADMIN=floor-admin-key-0123456789abcdef0123
CHATAI_HOST=127.0.0.1 CHATAI_PORT=$CHA CHATAI_DATA_DIR="$RUN/data" CHATAI_ADMIN_KEY=$ADMIN CHATAI_RATE_LIMIT_PER_MINUTE=0 \
  CHATAI_USER_RATE_LIMIT_PER_MINUTE=0 "$JAVA" -jar "$JAR" > "$RUN/chatai.log" 2>&1 & PIDS+=($!)
CHATAI_PID=$!

for port in $FAKE $NGX $JDK $HEL $CHA; do
  for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.5; done
done
admin() { curl -sf -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d "$2" "http://127.0.0.1:$CHA$1"; }
admin /api/channels "{\"name\":\"fake\",\"type\":\"openai\",\"baseUrl\":\"http://127.0.0.1:$FAKE/v1\",\"apiKeys\":[\"sk-x\"],\"models\":[\"*\"]}" > /dev/null
KEY=$(admin /api/keys '{"name":"floor"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["key"])')

pids_of() { # the processes whose CPU a window counts
  case $1 in
    nginx) pgrep -P "$(cat "$RUN/nginx/nginx.pid")" | tr '\n' ' '; cat "$RUN/nginx/nginx.pid";;
    jdk) echo "$JDK_PID";; helidon) echo "$HELIDON_PID";; chatai) echo "$CHATAI_PID";;
  esac
}
port_of() { case $1 in nginx) echo $NGX;; jdk) echo $JDK;; helidon) echo $HEL;; chatai) echo $CHA;; esac; }
ticks() { local t=0 p; for p in $*; do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo $t; }
host() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
window() { # window NAME WARMUP SECONDS -> "NAME rps cpu_us host%"
  local name=$1 auth=sk-x pids; pids=$(pids_of "$1"); [ "$name" = chatai ] && auth=$KEY
  "$JAVA" -cp "$BUILD" Load closed --url "http://127.0.0.1:$(port_of "$name")/v1/chat/completions" --kind openai \
    --auth "$auth" -c 64 --warmup "$2" --duration "$3" > "$RUN/load.out" 2>&1 &
  local load=$!; sleep "$2"
  local c0 h0 t0 c1 h1 t1; c0=$(ticks $pids); h0=$(host); t0=$(date +%s.%N)
  sleep "$3"
  c1=$(ticks $pids); h1=$(host); t1=$(date +%s.%N); wait $load
  python3 - "$name" "$c0" "$c1" "$h0" "$h1" "$t0" "$t1" "$RUN/load.out" <<'PY'
import json, re, sys
name, c0, c1, h0, h1, t0, t1, out = sys.argv[1], *map(float, sys.argv[2:8]), sys.argv[8]
r = json.loads(re.search(r'RESULT (\{.*\})', open(out).read()).group(1))
rps, el = r['rps'], t1 - t0
print('%s %.0f %.1f %.0f %d' % (name, rps, (c1 - c0) * 10000 / (rps * el), (h1 - h0) / el, r['errors']['total']))
PY
}

echo "floor: $ROUNDS rounds of ${SECONDS_PER_WINDOW} s windows at 64 clients; warming each relay up first (logs in $RUN)" >&2
for name in nginx jdk helidon chatai; do window $name 10 10 > /dev/null; done
for round in $(seq 1 "$ROUNDS"); do
  for name in nginx jdk helidon chatai; do
    line=$(window $name 3 "$SECONDS_PER_WINDOW"); echo "round $round $line" | tee -a "$RUN/windows.txt" >&2
  done
done
python3 - "$RUN/windows.txt" <<'PY'
import collections, statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
by = collections.defaultdict(list); nginx = {}
for _, rnd, name, rps, cpu, hostp, errors in rows:
    by[name].append((float(rps), float(cpu), int(errors)))
    if name == 'nginx': nginx[rnd] = float(rps)
share = collections.defaultdict(list)
for _, rnd, name, rps, *_ in rows:
    share[name].append(float(rps) / nginx[rnd])
print('| relay | req/s (median) | CPU µs/req (median) | ÷ nginx, per round | errors |')
print('|---|---:|---:|---|---:|')
for name in ('nginx', 'jdk', 'helidon', 'chatai'):
    v = by[name]
    print('| %s | %.0f | %.1f | %s (median %.0f %%) | %d |' % (name, statistics.median(x[0] for x in v), statistics.median(x[1] for x in v),
          ', '.join('%.0f %%' % (100 * s) for s in share[name]), 100 * statistics.median(share[name]), sum(x[2] for x in v)))
PY
