#!/usr/bin/env python3
"""The outside client of bench/outside.sh: one sequential keep-alive http.client connection per target
(deliberately not bench/Load.java), sending identical requests one after another.

Targets come as JSON on the command line (see outside.sh). Every target is warmed up, then measured in
ROUNDS rounds; in each round every target gets N requests back to back, in the given order, so "direct"
and "through the server" are measured within seconds of each other. Latency is perf_counter_ns from
sending the request to the last byte of the answer. CPU per request is read from /proc/PID/stat
(utime+stime) of the given processes over each target's window: less sensitive to a busy machine than
latency. A request counts only if its status is 2xx and its body carries "lorem".
"""
import http.client
import json
import os
import statistics
import sys
import threading
import time

TICK = os.sysconf('SC_CLK_TCK')


def cpu_ticks(pid):
    with open(f'/proc/{pid}/stat') as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def wchar(pid):
    """Bytes the process handed to write()-like calls (sockets included): with SQLite, mostly WAL and checkpoint pages."""
    with open(f'/proc/{pid}/io') as f:
        for line in f:
            if line.startswith('wchar:'):
                return int(line.split()[1])
    return 0


class Target:
    def __init__(self, spec, seq):
        self.name = spec['name']
        self.path = spec['path']
        self.headers = dict(spec.get('headers', {}))
        self.headers.setdefault('Content-Type', 'application/json')
        self.body = spec['body']
        self.users = spec.get('users', 0)  # >0: "{user}" in the body cycles over this many users
        self.pids = spec.get('pids', {})
        self.seq = seq
        self.n = 0
        self.conn = http.client.HTTPConnection(spec['host'], spec['port'], timeout=30)

    def one(self):
        body = self.body
        if self.users:
            body = body.replace('{user}', f'{self.seq}-{self.n % self.users}')
        self.n += 1
        data = body.encode()
        t0 = time.perf_counter_ns()
        self.conn.request('POST', self.path, data, self.headers)
        r = self.conn.getresponse()
        answer = r.read()
        t1 = time.perf_counter_ns()
        ok = 200 <= r.status < 300 and b'lorem' in answer
        if not ok and self.errors_seen < 3:
            self.errors_seen += 1
            print(f'{self.name}: {r.status} {answer[:300]!r}', file=sys.stderr)
        return t1 - t0, ok

    errors_seen = 0


def stats(lat_ns):
    s = sorted(lat_ns)
    n = len(s)
    return {
        'mean': statistics.fmean(s) / 1e6,
        'p50': s[n // 2] / 1e6,
        'p99': s[min(n - 1, int(n * 0.99))] / 1e6,
        'max': s[-1] / 1e6,
    }


def run_parallel(targets, n):
    """n requests spread over the connections of one target (one thread each); latencies and failures."""
    lat, errors, lock = [], [0], threading.Lock()

    def worker(t, k):
        mine, bad = [], 0
        for _ in range(k):
            ns, ok = t.one()
            mine.append(ns)
            bad += 0 if ok else 1
        with lock:
            lat.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=worker, args=(t, n // len(targets))) for t in targets]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return lat, errors[0]


def main():
    cfg = json.loads(sys.argv[1])
    warm, n, rounds = cfg['warmup'], cfg['requests'], cfg['rounds']
    clients = cfg.get('clients', 1)
    seq = cfg.get('seq', int(time.time()))
    # With clients > 1 every target gets that many keep-alive connections, one thread each (Python's GIL
    # caps the total rate at a few thousand requests/s: enough to compare two servers' CPU per request under
    # overlapping requests, not to saturate one).
    conns = [[Target(t, f'{seq}c{c}') for c in range(clients)] for t in cfg['targets']]
    targets = [c[0] for c in conns]
    # Warm-up in slices of 1,000 per target, interleaved, so every JIT and pool sees the same mix as the measurement.
    left = warm
    while left > 0:
        k = min(1000, left)
        for c in conns:
            run_parallel(c, k)
        left -= k
    results = []
    for rnd in range(rounds):
        load1 = os.getloadavg()[0]
        row = {'round': rnd + 1, 'load1': load1, 'targets': {}}
        for t in targets:
            before = {role: cpu_ticks(pid) for role, pid in t.pids.items()}
            written = {role: wchar(pid) for role, pid in t.pids.items()}
            t0 = time.perf_counter()
            lat, errors = run_parallel(conns[targets.index(t)], n)
            elapsed = time.perf_counter() - t0
            after = {role: cpu_ticks(pid) for role, pid in t.pids.items()}
            written = {role: wchar(pid) - written[role] for role, pid in t.pids.items()}
            st = stats(lat)
            st['errors'] = errors
            st['rps'] = len(lat) / elapsed
            for role in t.pids:
                st['cpu_us_' + role] = (after[role] - before[role]) * 1e6 / TICK / n
                st['write_kb_' + role] = written[role] / 1024 / n
            row['targets'][t.name] = st
        results.append(row)
        print(json.dumps(row), file=sys.stderr)
    json.dump({'config': {k: v for k, v in cfg.items() if k != 'targets'}, 'rounds': results}, sys.stdout)


if __name__ == '__main__':
    main()
