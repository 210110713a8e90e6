#!/usr/bin/python3
"""The floor for header indexing: open every file and read its first 4 KiB. Prints files/s."""
import os, sys, time
corpus = sys.argv[1]
t0 = time.perf_counter()
paths = [os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs]
for p in paths:
    with open(p, "rb") as fh:
        fh.read(4096)
dt = time.perf_counter() - t0
print(f"files {len(paths)}\nseconds {dt:.3f}\nfiles_per_s {len(paths) / dt:.1f}")
