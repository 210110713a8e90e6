#!/usr/bin/python3
"""Reads a phantom subject with pydicom (a reader nobody here wrote) and checks the header algebra
of PHANTOM.md 6-7, then recomputes pixel positions from the headers alone: the fiducial markers
of marker mode (ground truth in truth.json) must be bright at those pixels, and a flipped image
must fail the same check.

usage: check_pydicom.py SUBJECT_DIR TRUTH_JSON
"""
import collections, json, os, sys
import numpy as np
import pydicom

subject = sys.argv[1]
truth = json.load(open(sys.argv[2]))
files = [os.path.join(d, f) for d, _, fs in os.walk(subject) for f in fs
         if f.endswith(".dcm") and os.sep + "labels" + os.sep not in os.path.join(d, f)]
series = collections.defaultdict(list)
fors = set()
for f in files:
    ds = pydicom.dcmread(f)
    series[ds.SeriesInstanceUID].append((f, ds))
    fors.add(ds.FrameOfReferenceUID)
assert len(fors) == 1, f"{len(fors)} FrameOfReferenceUIDs in one subject"

def normal(ds):
    iop = np.array(ds.ImageOrientationPatient, float)
    return iop[:3], iop[3:], np.cross(iop[:3], iop[3:])

by_uid = {s["series_instance_uid"]: s for s in truth["series"]}
for uid, items in series.items():
    plan = by_uid[uid]
    d0 = items[0][1]
    per_loc = collections.Counter()
    for f, ds in items:
        # Each file's own orientation: a three-plane localizer mixes orientations in one series.
        r, c, n = normal(ds)
        assert abs(r @ r - 1) < 1e-4 and abs(c @ c - 1) < 1e-4 and abs(r @ c) < 1e-4, f"{f}: IOP not orthonormal"
        assert len(ds.ImagePositionPatient) == 3
        s = n @ np.array(ds.ImagePositionPatient, float)
        assert abs(float(ds.SliceLocation) - s) < 0.01, f"{f}: SliceLocation {ds.SliceLocation} != n.IPP {s}"
        per_loc[(tuple(np.round(n, 4)), round(s, 2))] += 1
        if plan["gated"]:
            assert int(ds.CardiacNumberOfImages) == plan["phase_count"]
            assert "TriggerTime" in ds
        else:
            assert "TriggerTime" not in ds and "CG" not in ds.get("ScanOptions", "")
    expected = sorted(len(sl["phases"]) for sl in plan["slices"])
    assert sorted(per_loc.values()) == expected, f"{uid}: images per location {per_loc} vs plan {expected}"
    locs = sorted(loc for _, loc in per_loc)
    if len(locs) > 1 and len({o for o, _ in per_loc}) == 1:
        steps = np.diff(locs)
        assert np.allclose(steps, float(d0.SpacingBetweenSlices), atol=0.01), f"{uid} spacing {steps}"

# Pixel positions from the headers alone: markers must be bright where the headers say.
def marker_hits(pixels, ds, markers, thickness):
    r, c, n = normal(ds)
    ipp = np.array(ds.ImagePositionPatient, float)
    drow, dcol = (float(v) for v in ds.PixelSpacing)
    hits = []
    for m in markers:
        d = np.array(m["centre_mm"]) - ipp
        if abs(d @ n) > 0.25 * thickness:
            continue
        i, j = int(round(d @ c / drow)), int(round(d @ r / dcol))
        if not (1 <= i < ds.Rows - 1 and 1 <= j < ds.Columns - 1):
            continue
        hits.append(pixels[i - 1:i + 2, j - 1:j + 2].max() > 1.3 * 900)
    return hits

markers = truth.get("markers", [])
seen = flipped_failures = images_with_markers = 0
for uid, items in series.items():
    for f, ds in items:
        if int(ds.get("InstanceNumber", 0)) != 1:
            continue
        hits = marker_hits(ds.pixel_array, ds, markers, float(ds.SliceThickness))
        if not hits:
            continue
        images_with_markers += 1
        assert all(hits), f"{f}: a marker is not where the header says"
        seen += len(hits)
        flipped_failures += not all(marker_hits(ds.pixel_array[::-1, :], ds, markers, float(ds.SliceThickness)))
if markers:
    assert images_with_markers >= 3, f"markers seen in only {images_with_markers} images"
    assert flipped_failures == images_with_markers, "a vertically flipped image was not detected"
print(f"pydicom: {len(files)} files in {len(series)} series pass the header algebra; "
      f"{seen} marker sightings at header-predicted pixels in {images_with_markers} images, "
      f"flips detected in {flipped_failures}")
