#!/usr/bin/python3
"""Canonical content of a PlaneLab catalog, for comparing two catalogs: every table's rows, sorted,
without the columns that only say *when* or *in which run* something was imported.
usage: catalog_dump.py CATALOG [--integrity]   (--integrity: print PRAGMA integrity_check only)"""
import sqlite3, sys

con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
if "--integrity" in sys.argv:
    print(con.execute("PRAGMA integrity_check").fetchone()[0])
    sys.exit(0)
SKIP_TABLES = {"import_runs", "sqlite_sequence"}
SKIP_COLUMNS = {"started_at", "finished_at", "indexed_run", "missing_since_run", "run"}
tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
for t in tables:
    if t in SKIP_TABLES:
        continue
    cols = [r[1] for r in con.execute(f"PRAGMA table_info({t})") if r[1] not in SKIP_COLUMNS]
    rows = sorted(map(repr, con.execute(f"SELECT {', '.join(cols)} FROM {t}")))
    print(f"## {t} ({', '.join(cols)}): {len(rows)} rows")
    for r in rows:
        print(r)
