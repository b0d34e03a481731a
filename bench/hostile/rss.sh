#!/bin/bash
# The server's memory under an upstream that never ends its answers.
# usage: bench/hostile/rss.sh [JAR] [deltas|line] [SECONDS]   (CONC=8 for eight clients at once)
# Starts JAR with -Xmx256m against bench/hostile/endless_upstream.py, one channel to it, and streams
# /api/chat/stream from CONC clients, one request after another, for SECONDS; every 5 s prints the
# process's resident memory (VmRSS), the heap in use (jcmd GC.heap_info) and how many streams ended.
JAR=${1:-target/chatai-server.jar}; MODE=${2:-deltas}; SECS=${3:-60}
J=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin; HERE=$(cd "$(dirname "$0")" && pwd)
DIR=$(mktemp -d); UP=18431; PORT=18432; KEY=rss-admin-key-0123456789abcdef0123
python3 "$HERE/endless_upstream.py" $UP "$MODE" & UPID=$!
CHATAI_PORT=$PORT CHATAI_DATA_DIR=$DIR CHATAI_ADMIN_KEY=$KEY CHATAI_RATE_LIMIT_PER_MINUTE=0 CHATAI_USER_RATE_LIMIT_PER_MINUTE=0 \
  "$J/java" -Xmx256m -jar "$JAR" > "$DIR/server.log" 2>&1 & SPID=$!
for _ in $(seq 1 60); do curl -s -o /dev/null http://127.0.0.1:$PORT/health && break; sleep 1; done
curl -s -X POST -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' http://127.0.0.1:$PORT/api/channels \
  -d "{\"name\":\"endless\",\"type\":\"openai\",\"baseUrl\":\"http://127.0.0.1:$UP/v1\",\"apiKeys\":[\"sk-x\"]}" > /dev/null
CPIDS=""
for c in $(seq 1 "${CONC:-1}"); do
  ( end=$((SECONDS+SECS)); n=0; while [ $SECONDS -lt $end ]; do
      curl -s -N -o /dev/null --max-time "$SECS" -X POST -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
        http://127.0.0.1:$PORT/api/chat/stream -d "{\"message\":\"go\",\"userId\":\"rss$c\"}"
      n=$((n+1)); echo $n > "$DIR/count$c"; done ) &
  CPIDS="$CPIDS $!"
done
echo "t_s rss_mib heap_used_mib streams_ended"
START=$SECONDS
while [ $((SECONDS-START)) -le "$SECS" ] && kill -0 $SPID 2>/dev/null; do
  RSS=$(awk '/VmRSS/{print int($2/1024)}' /proc/$SPID/status)
  HEAP=$("$J/jcmd" $SPID GC.heap_info 2>/dev/null | awk '/heap/ {for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); sub("K,","",v); print int(v/1024); exit}}')
  echo "$((SECONDS-START)) $RSS $HEAP $(cat "$DIR"/count* 2>/dev/null | awk '{s+=$1} END {print s+0}')"
  sleep 5
done
echo "OutOfMemoryError in the server log: $(grep -c OutOfMemoryError "$DIR/server.log")"
kill $CPIDS $SPID $UPID 2>/dev/null; wait 2>/dev/null
