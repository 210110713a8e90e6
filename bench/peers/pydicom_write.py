#!/usr/bin/python3
"""Peer for dicom_write_bench: pydicom writes the same MR images (datasets loaded first, not timed).
usage: pydicom_write.py SRC_DIR DST_DIR"""
import os, sys, time
import pydicom

src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst, exist_ok=True)
names = sorted(f for f in os.listdir(src) if f.endswith(".dcm"))
datasets = [pydicom.dcmread(os.path.join(src, f)) for f in names]
for ds in datasets:
    _ = ds.PixelData  # loaded, so only serialisation and I/O are timed
t0 = time.perf_counter()
for name, ds in zip(names, datasets):
    ds.save_as(os.path.join(dst, name), write_like_original=False)
dt = time.perf_counter() - t0
print(f"write_only_files_per_s {len(names) / dt:.1f}")
