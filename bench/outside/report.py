#!/usr/bin/env python3
"""Prints the medians over the rounds of bench/outside/client.py's output as a markdown table."""
import json
import statistics
import sys

data = json.load(open(sys.argv[1]))
load_after = sys.argv[2] if len(sys.argv) > 2 else '?'
rounds = data['rounds']
cfg = data['config']
names = list(rounds[0]['targets'])
med = lambda xs: statistics.median(xs)
print(f"Outside client, {cfg.get('clients', 1)} connection(s) per target: {cfg['warmup']} warm-up + {cfg['rounds']} rounds x {cfg['requests']} sequential requests per target; "
      f"medians over the rounds. Load average (1 min) during the rounds: "
      f"{', '.join('%.2f' % r['load1'] for r in rounds)}; after: {load_after}.\n")
print('| target | req/s | mean ms | p50 ms | p99 ms | +mean ms | +p50 ms | ChatAI CPU µs/req | mock CPU µs/req | ChatAI KB written/req | errors |')
print('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
for n in names:
    rows = [r['targets'][n] for r in rounds]
    add = lambda k: med([r['targets'][n][k] - r['targets']['direct'][k] for r in rounds]) if 'direct' in names else float('nan')
    kb = lambda role: ('%.1f' % med([x['write_kb_' + role] for x in rows])) if 'write_kb_' + role in rows[0] else ''
    cpu = lambda role: ('%.0f' % med([x['cpu_us_' + role] for x in rows])) if 'cpu_us_' + role in rows[0] else ''
    rps = ('%.0f' % med([x['rps'] for x in rows])) if 'rps' in rows[0] else ''
    print(f"| {n} | {rps} | {med([x['mean'] for x in rows]):.3f} | {med([x['p50'] for x in rows]):.3f} | {med([x['p99'] for x in rows]):.3f} | "
          f"{'' if n == 'direct' else '%.3f' % add('mean')} | {'' if n == 'direct' else '%.3f' % add('p50')} | "
          f"{cpu('chatai')} | {cpu('mock')} | {kb('chatai')} | {sum(x['errors'] for x in rows)} |")
