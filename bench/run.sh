#!/usr/bin/env bash
# The ChatAI benchmark in one command: installs what it needs (idempotently), builds what is missing,
# then runs bench/Bench.java (with the packages under bench/), which starts the fake upstream, nginx, Portkey
# and ChatAI on free loopback ports, runs the scenarios and prints one markdown table per scenario. See
# bench/README.md.
#
#   bench/run.sh                     # everything (about 67 minutes, 32 of them the soak)
#   bench/run.sh --quick             # smoke run of every scenario, ~2 minutes
#   bench/run.sh --only latency,cost --duration 30s
#   bench/run.sh --help              # all options
#
# Environment: JAVA_HOME (a JDK 25; default /usr/lib/jvm/temurin-25-jdk-amd64), BENCH_NO_INSTALL=1 to
# never call apt-get/npm, BENCH_REBUILD=1 to rebuild the jar even if it is newer than src/ and pom.xml. CHATAI_* variables are
# passed to the server (e.g. CHATAI_DATABASE_URL to benchmark on PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)

if [ -z "${JAVA_HOME:-}" ] || ! "${JAVA_HOME}/bin/java" -version 2>&1 | grep -q 'version "25'; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="$JAVA_HOME/bin/java"
JAVAC="$JAVA_HOME/bin/javac"

want_peer() { # want_peer nginx|portkey: false when --no-<peer> is among the arguments
  local a
  for a in ${ARGS[@]+"${ARGS[@]}"}; do [ "$a" = "--no-$1" ] && return 1; done
  return 0
}
ARGS=("$@")
for a in ${ARGS[@]+"${ARGS[@]}"}; do
  if [ "$a" = "-h" ] || [ "$a" = "--help" ]; then
    BENCH_NO_INSTALL=1
  fi
done

log() { echo "bench: $*" >&2; }

# 1. Debian packages: nginx (the floor of any proxy). wrk is not needed: the load driver is bench/Load.java.
if [ "${BENCH_NO_INSTALL:-0}" != 1 ] && want_peer nginx && ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  log "installing nginx-light (apt-get)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends nginx-light >/dev/null
  # The package may start a system nginx on port 80; the benchmark runs its own instance and needs none.
  if command -v service >/dev/null 2>&1; then $SUDO service nginx stop >/dev/null 2>&1 || true; fi
fi
NGINX=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)

# 2. Portkey, pinned by bench/portkey/package-lock.json (npm ci only when node_modules is missing or stale).
if [ "${BENCH_NO_INSTALL:-0}" != 1 ] && want_peer portkey; then
  PK=bench/portkey
  if [ ! -d "$PK/node_modules/@portkey-ai/gateway" ] || [ "$PK/package-lock.json" -nt "$PK/node_modules/.package-lock.json" ]; then
    log "installing Portkey (npm ci in $PK)"
    (cd "$PK" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
fi

# 3. The server jar: built when missing or older than the sources (never when --jar names another one).
uses_own_jar() { local a; for a in ${ARGS[@]+"${ARGS[@]}"}; do [ "$a" = "--jar" ] && return 1; done; return 0; }
if uses_own_jar; then
  if [ "${BENCH_REBUILD:-0}" = 1 ] || [ ! -f target/chatai-server.jar ] \
      || [ -n "$(find src pom.xml -newer target/chatai-server.jar -print -quit 2>/dev/null)" ]; then
    log "building target/chatai-server.jar"
    ./mvnw -q -DskipTests package
  fi
fi

# 4. The benchmark's own programs (bench/*.java and the packages under bench/, see bench/README.md),
#    compiled into bench/.build when a source is newer than the last build.
BUILD=bench/.build
bench_sources() { # bench_sources [find tests]: the .java files, outside Portkey's modules, the results and the build
  find bench \( -path bench/portkey -o -path bench/results -o -path "$BUILD" \) -prune -o -name '*.java' "$@" -print
}
if [ ! -f "$BUILD/.stamp" ] || [ -n "$(bench_sources -newer "$BUILD/.stamp")" ]; then
  rm -rf "$BUILD"
  mkdir -p "$BUILD"
  mapfile -t SOURCES < <(bench_sources)
  "$JAVAC" -d "$BUILD" "${SOURCES[@]}"
  touch "$BUILD/.stamp"
fi

# 5. Open files: 10,000 streams need ~20,000 sockets in a proxy process. Raise the soft limit to the
#    hard one (raising the hard limit needs CAP_SYS_RESOURCE; Bench caps the stream count if it is short).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

exec "$JAVA" -cp "$BUILD" Bench --repo "$REPO" --java "$JAVA" --nginx "$NGINX" "$@"
