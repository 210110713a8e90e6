#!/usr/bin/python3
"""Independent numpy reference for the pretext-task targets (docs/pretext-targets.md).

Written from the recipe formulas (ML-RECIPE §1.3 / §2 and the explicit plane intersection of
PHANTOM.md), not from the C++: the trace of another view is found as a 3-D line,
  u = n1 x n2,  x0 solves [n1; n2; u] x = [n1.p1; n2.p2; u.p1],
projected into the target image, clipped against the pixel area to decide whether it crosses the
crop, and turned into a distance map exp(-d^2 / (2 sigma^2)).

  pretext_oracle.py CASES.json TARGETS.f32     (written by tests/data/targets_dump)
Exit 0 when every heatmap and relative location agrees within 1e-3 and every flag matches,
1 otherwise. The functions are also used by bench/peers/targets_oracle_bench.py.
"""
import json
import math
import sys

import numpy as np

TOLERANCE = 1e-3
PARALLEL_GUARD_DEG = 1.0


class Plane:
    """DICOM Image Plane: IPP = centre of pixel (0, 0); IOP[0:3] = direction of increasing column
    index, IOP[3:6] = direction of increasing row index; PixelSpacing = [between rows, between
    columns]."""

    def __init__(self, ipp, iop, pixel_spacing, rows, cols):
        self.p = np.asarray(ipp, dtype=np.float64)
        self.r = np.asarray(iop[:3], dtype=np.float64)
        self.c = np.asarray(iop[3:], dtype=np.float64)
        self.row_spacing = float(pixel_spacing[0])
        self.col_spacing = float(pixel_spacing[1])
        self.rows = int(rows)
        self.cols = int(cols)

    @staticmethod
    def from_json(d):
        return Plane(d["ipp"], d["iop"], d["pixel_spacing"], d["rows"], d["cols"])

    def normal(self):
        n = np.cross(self.r, self.c)
        return n / np.linalg.norm(n)

    def to_patient(self, row, col):
        return self.p + col * self.col_spacing * self.r + row * self.row_spacing * self.c

    def to_pixel(self, x):
        """(row, col) of the orthogonal projection of patient point x (orthonormal axes)."""
        d = x - self.p
        return np.dot(d, self.c) / self.row_spacing, np.dot(d, self.r) / self.col_spacing


def resampled_plane(source, spacing_mm, size):
    """Target grid: same axes, spacing_mm both ways, size x size, centre pixel on the source's
    centre pixel-area point."""
    centre = source.to_patient((source.rows - 1) / 2.0, (source.cols - 1) / 2.0)
    half = (size - 1) / 2.0 * spacing_mm
    ipp = centre - half * source.r - half * source.c
    return Plane(ipp, np.concatenate([source.r, source.c]), [spacing_mm, spacing_mm], size, size)


def intersection_line(a, b):
    """3-D line where planes a and b meet: (x0, unit direction), or None below the guard."""
    n1, n2 = a.normal(), b.normal()
    u = np.cross(n1, n2)
    s = np.linalg.norm(u)
    if s < math.sin(math.radians(PARALLEL_GUARD_DEG)):
        return None
    m = np.stack([n1, n2, u])
    rhs = np.array([np.dot(n1, a.p), np.dot(n2, b.p), np.dot(u, a.p)])
    x0 = np.linalg.solve(m, rhs)
    return x0, u / s


def clip_to_pixel_area(plane, origin, direction):
    """Liang-Barsky: does the pixel line origin + t direction cross
    [-0.5, rows-0.5] x [-0.5, cols-0.5] along a segment of positive length?"""
    t0, t1 = -math.inf, math.inf
    for o, d, hi in ((origin[0], direction[0], plane.rows - 0.5),
                     (origin[1], direction[1], plane.cols - 0.5)):
        if d == 0.0:
            if o < -0.5 or o > hi:
                return False
            continue
        ta, tb = (-0.5 - o) / d, (hi - o) / d
        t0, t1 = max(t0, min(ta, tb)), min(t1, max(ta, tb))
    return t0 < t1


def trace_in_target(target, other):
    """(flag, line): the trace of `other` in target pixel coordinates as a point (row, col) and a
    unit direction (drow, dcol), or a flag and None."""
    if other is None:
        return "view_missing", None
    line = intersection_line(target, other)
    if line is None:
        return "planes_parallel", None
    x0, u = line
    r0, c0 = target.to_pixel(x0)
    r1, c1 = target.to_pixel(x0 + u)
    dr, dc = r1 - r0, c1 - c0
    length = math.hypot(dr, dc)
    dr, dc = dr / length, dc / length
    if not clip_to_pixel_area(target, (r0, c0), (dr, dc)):
        return "line_misses_crop", None
    return "", (r0, c0, dr, dc)


def line_heatmap(target, other, sigma_px):
    """(heatmap float64 rows x cols, flag)."""
    flag, line = trace_in_target(target, other)
    if line is None:
        return np.zeros((target.rows, target.cols)), flag
    r0, c0, dr, dc = line
    rows = np.arange(target.rows, dtype=np.float64)
    cols = np.arange(target.cols, dtype=np.float64)
    # Perpendicular distance to the line in pixel-index units: |(p - p0) x dir|.
    d = (rows[:, None] - r0) * dc - (cols[None, :] - c0) * dr
    return np.exp(-d * d / (2.0 * sigma_px * sigma_px)), ""


def relative_locations(planes, mode, direction):
    """(values, error_key)."""
    if mode == "paper":
        s = np.array([-np.dot(p.normal(), p.p) for p in planes])
    else:
        d = np.asarray(direction, dtype=np.float64)
        d = d / np.linalg.norm(d)
        s = np.array([np.dot(d, p.p) for p in planes])
    if len(planes) < 2 or s.max() - s.min() < 1e-6:
        return np.zeros(0), "single_slice_stack"
    return (s - s.min()) / (s.max() - s.min()), ""


def target_of(case):
    source = Plane.from_json(case["source"])
    if case["grid"] is None:
        return source
    return resampled_plane(source, case["grid"]["spacing_mm"], case["grid"]["size"])


def main():
    cases = json.load(open(sys.argv[1]))
    values = np.fromfile(sys.argv[2], dtype=np.float32)
    failures = []
    if values.size != cases["value_count"]:
        failures.append(f"value count {values.size} != {cases['value_count']}")
    max_heat, max_loc, max_plane = 0.0, 0.0, 0.0
    channels = lines = 0
    flags = {}
    for case in cases["heatmap_cases"]:
        target = target_of(case)
        ours = Plane.from_json(case["target"])
        plane_diff = max(np.abs(ours.p - target.p).max(), abs(ours.rows - target.rows),
                         abs(ours.row_spacing - target.row_spacing),
                         abs(ours.col_spacing - target.col_spacing))
        max_plane = max(max_plane, plane_diff)
        if plane_diff > 1e-6:
            failures.append(f"{case['name']}: target plane differs by {plane_diff:g}")
        n = target.rows * target.cols
        offset = case["offset"]
        for k, ch in enumerate(case["channels"]):
            other = None if ch["plane"] is None else Plane.from_json(ch["plane"])
            expected, flag = line_heatmap(target, other, case["sigma_px"])
            got = values[offset + k * n: offset + (k + 1) * n].reshape(target.rows, target.cols)
            diff = float(np.abs(got.astype(np.float64) - expected).max())
            max_heat = max(max_heat, diff)
            channels += 1
            lines += flag == ""
            flags[flag or "(line)"] = flags.get(flag or "(line)", 0) + 1
            if flag != ch["flag"]:
                failures.append(f"{case['name']} {ch['view']}: flag '{ch['flag']}', oracle '{flag}'")
            if diff > TOLERANCE:
                failures.append(f"{case['name']} {ch['view']}: max abs difference {diff:g}")
    for case in cases["location_cases"]:
        planes = [Plane.from_json(p) for p in case["planes"]]
        expected, key = relative_locations(planes, case["mode"], case["direction"])
        got = values[case["offset"]: case["offset"] + case["count"]].astype(np.float64)
        if key != case["error_key"]:
            failures.append(f"{case['name']}: key '{case['error_key']}', oracle '{key}'")
        elif got.size != expected.size:
            failures.append(f"{case['name']}: {got.size} values, oracle {expected.size}")
        elif got.size:
            diff = float(np.abs(got - expected).max())
            max_loc = max(max_loc, diff)
            if diff > TOLERANCE or not np.all(np.isfinite(got)):
                failures.append(f"{case['name']}: max abs difference {diff:g}")
    print(f"pretext oracle: {len(cases['heatmap_cases'])} images, {channels} channels "
          f"({lines} with a line; flags {dict(sorted(flags.items()))}), "
          f"{len(cases['location_cases'])} location cases")
    print(f"max abs difference: heatmaps {max_heat:.3g}, relative locations {max_loc:.3g}, "
          f"target planes {max_plane:.3g} mm (tolerance {TOLERANCE:g})")
    for f in failures[:50]:
        print("FAIL", f)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
