#!/usr/bin/python3
"""The numpy oracle (tests/tools/pretext_oracle.py) on the cases of bench/targets_bench:
per SAX image, the resampled target plane and the 2CH and 4CH line heatmaps (float64, vectorised
with broadcasting, one thread).
  targets_oracle_bench.py CASES.json [min_seconds=2]
Prints heatmaps/s (wall clock and CPU time) and the ratios of PlaneLab's rates stored in
CASES.json by targets_bench --cases-out."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests",
                                "tools"))
import pretext_oracle as oracle  # noqa: E402

cases = json.load(open(sys.argv[1]))
min_seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
grid, sigma = cases["grid"], cases["sigma_px"]
images = [(oracle.Plane.from_json(c["source"]), [oracle.Plane.from_json(o) for o in c["others"]])
          for c in cases["images"]]
heatmaps = passes = 0
checksum = 0.0
t0, c0 = time.perf_counter(), time.process_time()
while True:
    for source, others in images:
        target = oracle.resampled_plane(source, grid["spacing_mm"], grid["size"])
        for other in others:
            h, _ = oracle.line_heatmap(target, other, sigma)
            checksum += float(h[h.shape[0] // 2, h.shape[1] // 2])
            heatmaps += 1
    passes += 1
    dt = time.perf_counter() - t0
    if dt >= min_seconds:
        break
rate = heatmaps / dt
cpu_rate = heatmaps / (time.process_time() - c0)
print(f"numpy oracle: {len(images)} images x 2 channels, {passes} passes, "
      f"numpy {oracle.np.__version__}")
print(f"heatmaps {heatmaps}\nseconds {dt:.3f}\nheatmaps_per_s {rate:.1f}\n"
      f"cpu_heatmaps_per_s {cpu_rate:.1f}")
for key, label in (("ours_heatmaps_per_s", "ratio"), ("ours_into_heatmaps_per_s", "ratio_into")):
    print(f"planelab_{key[5:]} {cases[key]:.1f}\n{label} {cases[key] / rate:.2f}")
for key, label in (("ours_cpu_heatmaps_per_s", "cpu_ratio"),
                   ("ours_into_cpu_heatmaps_per_s", "cpu_ratio_into")):
    print(f"{label} {cases[key] / cpu_rate:.2f}")
