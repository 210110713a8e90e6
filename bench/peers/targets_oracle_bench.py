#!/usr/bin/python3
"""The numpy oracle (tests/tools/pretext_oracle.py) on the cases of bench/targets_bench: per SAX
image, the resampled target plane and the 2CH and 4CH line heatmaps, one thread.
  - arrays: oracle.line_heatmap as the oracle test runs it (float64, broadcasting, new arrays);
  - into:   the same geometry, then the map computed in place into a reused float32 buffer
            (out= on every ufunc), the numpy counterpart of lineHeatmapInto.
  targets_oracle_bench.py CASES.json [min_seconds=2]
Prints heatmaps/s (wall clock and CPU time) and the ratios of PlaneLab's rates stored in
CASES.json by targets_bench --cases-out (API vs arrays, into vs into)."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests",
                                "tools"))
import numpy as np  # noqa: E402
import pretext_oracle as oracle  # noqa: E402

cases = json.load(open(sys.argv[1]))
min_seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
grid, sigma = cases["grid"], cases["sigma_px"]
size = grid["size"]
images = [(oracle.Plane.from_json(c["source"]), [oracle.Plane.from_json(o) for o in c["others"]])
          for c in cases["images"]]


def run(body):
    heatmaps = passes = 0
    checksum = 0.0
    t0, c0 = time.perf_counter(), time.process_time()
    while True:
        for source, others in images:
            target = oracle.resampled_plane(source, grid["spacing_mm"], size)
            for k, other in enumerate(others):
                checksum += body(target, other, k)
                heatmaps += 1
        passes += 1
        dt = time.perf_counter() - t0
        if dt >= min_seconds:
            break
    return heatmaps / dt, heatmaps / (time.process_time() - c0), passes, checksum


def arrays(target, other, _):
    h, _ = oracle.line_heatmap(target, other, sigma)
    return float(h[size // 2, size // 2])


def into(target, other, k):
    out = slot[k]
    flag, line = oracle.trace_in_target(target, other)
    if line is None:
        out.fill(0.0)
    else:
        r0, c0, dr, dc = line
        np.multiply(row_index, dc, out=row_term)
        np.subtract(row_term, r0 * dc - c0 * dr, out=row_term)
        np.multiply(col_index, -dr, out=col_term)
        np.add(row_term[:, None], col_term[None, :], out=out)
        np.multiply(out, out, out=out)
        np.multiply(out, -1.0 / (2.0 * sigma * sigma), out=out)
        np.exp(out, out=out)
    return float(out[size // 2, size // 2])


# As in targets_bench, the arrays path allocates and frees every heatmap, so with glibc's default
# trimming both sides page-fault fresh memory per image; run both programs with
# MALLOC_TRIM_THRESHOLD_ and MALLOC_MMAP_THRESHOLD_ set high to time them without that.
rate, cpu_rate, passes, checksum = run(arrays)
slot = np.empty((2, size, size), dtype=np.float32)
row_index = np.arange(size, dtype=np.float32)
col_index = np.arange(size, dtype=np.float32)
row_term = np.empty(size, dtype=np.float32)
col_term = np.empty(size, dtype=np.float32)
into_rate, into_cpu_rate, into_passes, into_checksum = run(into)
n = len(images)
print(f"numpy oracle: {n} images x 2 channels, numpy {np.__version__}, 1 thread")
print(f"heatmaps_per_s {rate:.1f}\ncpu_heatmaps_per_s {cpu_rate:.1f}\npasses {passes}")
print(f"into_heatmaps_per_s {into_rate:.1f}\ninto_cpu_heatmaps_per_s {into_cpu_rate:.1f}\n"
      f"into_passes {into_passes}\nchecksum {checksum / passes:.6f} {into_checksum / into_passes:.6f}")
print(f"planelab_heatmaps_per_s {cases['ours_heatmaps_per_s']:.1f}\n"
      f"planelab_into_heatmaps_per_s {cases['ours_into_heatmaps_per_s']:.1f}")
print(f"ratio {cases['ours_heatmaps_per_s'] / rate:.2f}\n"
      f"ratio_into {cases['ours_into_heatmaps_per_s'] / into_rate:.2f}\n"
      f"cpu_ratio {cases['ours_cpu_heatmaps_per_s'] / cpu_rate:.2f}\n"
      f"cpu_ratio_into {cases['ours_into_cpu_heatmaps_per_s'] / into_cpu_rate:.2f}")
