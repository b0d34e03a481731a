#!/usr/bin/env python3
# Write-ahead log bytes per /api/chat turn (one turn per commit, as at one client) and the time of a history
# read (newest 20 messages), for variants of the SQLite schema (V1 of the migrations, as the server has it),
# with the server's pragmas (WAL, synchronous=NORMAL, secure_delete). A turn = the server's commit: two
# message inserts and the conversation's update (updated_at, message_count, last_message, next_seq).
# Usage: python3 bench/outside/sqlite_wal.py   (writes scratch databases under /tmp/sqlexp)
import os, random, sqlite3, sys, time
V1 = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../src/main/resources/db/migration/sqlite/V1__conversations_presets_channels.sql')).read()
os.makedirs('/tmp/sqlexp', exist_ok=True)
def run(name, drop_idx=(), without_rowid=False, turns=20000, convs=5000, msg=400):
    path = f'/tmp/sqlexp/{name}.db'
    for f in (path, path + '-wal', path + '-shm'):
        if os.path.exists(f): os.remove(f)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute('PRAGMA journal_mode=WAL'); db.execute('PRAGMA synchronous=NORMAL'); db.execute('PRAGMA secure_delete=true')
    db.execute('PRAGMA wal_autocheckpoint=0')
    db.executescript(V1)
    db.execute('ALTER TABLE messages ADD COLUMN parts TEXT')
    if without_rowid:
        db.executescript('''CREATE TABLE m2 (conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
          seq INTEGER NOT NULL, role TEXT NOT NULL, content TEXT NOT NULL, tokens INTEGER NOT NULL, created_at INTEGER NOT NULL,
          parts TEXT, PRIMARY KEY (conversation_id, seq)) WITHOUT ROWID; DROP TABLE messages; ALTER TABLE m2 RENAME TO messages;''')
    for i in drop_idx: db.execute(f'DROP INDEX {i}')
    now = 1_700_000_000_000
    ids = [f'conv_{random.getrandbits(64):016x}' for _ in range(convs)]
    for k, cid in enumerate(ids):
        db.execute('INSERT INTO conversations VALUES (?,?,?,?,?,?,?,?,?)', (cid, f'u{k}', 'g1', 'default', now, now, 0, None, 0))
    # warm: 10 turns per conversation, then measure
    def turn(cid, t):
        db.execute('BEGIN IMMEDIATE')
        seq = db.execute('SELECT next_seq FROM conversations WHERE id=?', (cid,)).fetchone()[0]
        for j in range(2):
            db.execute('INSERT INTO messages (conversation_id, seq, role, content, parts, tokens, created_at) VALUES (?,?,?,?,?,?,?)',
                       (cid, seq + j, 'user' if j == 0 else 'assistant', 'x' * msg, None, 100, t))
        db.execute('UPDATE conversations SET updated_at=?, message_count=message_count+2, last_message=?, next_seq=? WHERE id=?', (t, 'x' * 100, seq + 2, cid))
        db.execute('COMMIT')
    t = now
    for _ in range(turns // 2):
        t += 1; turn(random.choice(ids), t)
    db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    start = time.perf_counter()
    for _ in range(turns):
        t += 1; turn(random.choice(ids), t)
    el = time.perf_counter() - start
    wal = os.path.getsize(path + '-wal')
    db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    # history read locality: distinct pages is not exposed; time 2,000 reads of the newest 20 messages
    s2 = time.perf_counter()
    for _ in range(2000):
        db.execute('SELECT seq, content FROM messages WHERE conversation_id=? ORDER BY seq DESC LIMIT 20', (random.choice(ids),)).fetchall()
    rd = (time.perf_counter() - s2) / 2000 * 1e6
    db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    size = os.path.getsize(path)
    print(f'{name:28s} WAL KB/turn {wal/turns/1024:6.1f}  pages/turn {wal/turns/4120:5.2f}  µs/turn {el/turns*1e6:6.0f}  read µs {rd:5.0f}  db MB {size/1e6:6.1f}', flush=True)
    db.close()
random.seed(1)
for m in (400, 2000):
    run(f'as-is-{m}', msg=m, turns=10000)
    run(f'no-by-group-{m}', drop_idx=['conversations_by_group'], msg=m, turns=10000)
    run(f'no-group-no-recency-{m}', drop_idx=['conversations_by_group', 'conversations_by_recency'], msg=m, turns=10000)
    run(f'messages-without-rowid-{m}', without_rowid=True, msg=m, turns=10000)
