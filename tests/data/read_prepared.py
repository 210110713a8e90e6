"""Reads a prepared dataset with numpy.memmap (the snippet of docs/prepared-dataset.md) and checks
it against the synthetic test dataset of tests/data/data_test_support.h. Prints "ok" on success.
usage: read_prepared.py FOLDER"""
import json
import sys

import numpy as np

folder = sys.argv[1]
with open(f"{folder}/dataset.json", encoding="utf-8") as f:
    meta = json.load(f)
assert meta["format"] == "planelab-prepared" and meta["format_version"] == 1
n, s = len(meta["samples"]), meta["plan"]["grid"]["size"]
images = np.memmap(f"{folder}/images.f32", dtype="<f4", mode="r", shape=(n, s, s))
labels = np.memmap(f"{folder}/labels.u8", dtype=np.uint8, mode="r", shape=(n, s, s))

r = np.arange(s, dtype=np.float64)[:, None]
c = np.arange(s, dtype=np.float64)[None, :]
for i, sample in enumerate(meta["samples"]):
    expected = np.sin(0.11 * r + 0.3 * i) * np.cos(0.07 * c) + 0.01 * i + 1e-3 * r
    assert np.abs(images[i] - expected).max() < 1e-6, i
    assert (labels[i].max() > 0) == sample["has_labels"], i
    plane = meta["subjects"][sample["subject"]]["planes"][sample["plane"]]
    assert plane["plane"]["rows"] == s and plane["view"] == "sax"
    # Patient point of pixel (row 1, col 2): IPP + col * col_spacing * row_dir + row * ...
    p = plane["plane"]
    x = (np.array(p["position_mm"]) + 2 * p["col_spacing_mm"] * np.array(p["row_dir"])
         + 1 * p["row_spacing_mm"] * np.array(p["col_dir"]))
    assert np.all(np.isfinite(x))
print("ok")
