#!/usr/bin/env bash
# planelab-cli prepare as a user meets it: a small phantom heart cohort written as DICOM, imported,
# prepared from the catalog (pixels through DCMTK, labels from the SEG files) and, for the same
# subjects, from the phantom in memory: file sizes, labels on the labelled samples, class labels
# from the cohort's subjects.csv, and the two datasets agree sample by sample. Then the refusals
# (existing dataset, unknown study, bad arguments), --study, --plan from a dataset.json, and Ctrl-C.
#   prepare_test.sh CLI WORK PYTHON
set -euo pipefail
cli=$1 work=$2 py=$3
rm -rf "$work" && mkdir -p "$work"
source "$(dirname "$0")/expect.sh"

# Two small hearts, 4 cine phases, ED/ES labels as DICOM SEG, fast rendering (as the in-memory
# phantom renders).
"$cli" phantom --organ heart --subjects 2 --seed 21 --level L2 --layout dsb --phases 4 \
  --labels ed-es --quality fast --threads 2 --out "$work/cohort" > /dev/null || fail "phantom"
[ -f "$work/cohort/subjects.csv" ] || fail "the cohort has no subjects.csv"
cat=$work/c.planelab
"$cli" import "$cat" "$work/cohort/dicom" --jobs 2 > /dev/null || fail "import exit $?"

common=(--size 64 --spacing 3 --phases ed_es --jobs 2 --json)
expect 0 "" "$cli" prepare "$cat" --out "$work/cat" --class-labels "$work/cohort/subjects.csv" \
  "${common[@]}"
cp "$work/out.txt" "$work/cat.json"
expect 0 "" "$cli" prepare --phantom heart --subjects 2 --seed 21 --level L2 --layout dsb \
  --cine-phases 4 --labels ed-es --out "$work/mem" "${common[@]}"
cp "$work/out.txt" "$work/mem.json"
# The calibration's non-learned baseline on the labelled phantom dataset, and a refusal.
expect 0 "" "$cli" baseline "$work/mem" --json
"$py" -c 'import json,sys; r = json.load(open(sys.argv[1]))
assert r["label"] == "LV cavity" and r["images"] > 0 and 0 <= r["median_dice"] <= 1 and 0 <= r["mean_dice"] <= 1, r' "$work/out.txt"
expect 1 unknown_label "$cli" baseline "$work/mem" --label femur

"$py" - "$work" <<'PY'
import csv, json, os, sys
import numpy as np
work = sys.argv[1]
def load(name):
    root = os.path.join(work, name)
    info = json.load(open(os.path.join(root, "dataset.json")))
    size = info["plan"]["grid"]["size"]
    n = len(info["samples"])
    assert os.path.getsize(os.path.join(root, "images.f32")) == n * size * size * 4, name
    assert os.path.getsize(os.path.join(root, "labels.u8")) == n * size * size, name
    images = np.memmap(os.path.join(root, "images.f32"), dtype="<f4", mode="r", shape=(n, size, size))
    labels = np.memmap(os.path.join(root, "labels.u8"), dtype=np.uint8, mode="r", shape=(n, size, size))
    return info, images, labels
cat, cat_images, cat_labels = load("cat")
mem, mem_images, mem_labels = load("mem")
summary = json.load(open(os.path.join(work, "cat.json")))
assert summary["status"] == "ok" and summary["samples"] == len(cat["samples"]) > 0, summary
assert summary["skipped_images"] == 0 and not summary["label_errors"], summary
assert cat["source"]["kind"] == "catalog" and len(cat["source"]["snapshot"]) == 16, cat["source"]
assert mem["source"]["kind"] == "phantom" and mem["source"]["seed"] == 21, mem["source"]

# Labels: every ED/ES sample is labelled, and the maps show the heart on most of them.
for info, labels in ((cat, cat_labels), (mem, mem_labels)):
    labelled = [i for i, s in enumerate(info["samples"]) if s["has_labels"]]
    assert len(labelled) == len(info["samples"]), (len(labelled), len(info["samples"]))
    nonempty = sum(1 for i in labelled if labels[i].any())
    assert nonempty >= 0.7 * len(labelled), (nonempty, len(labelled))
    assert all(s["ed"] != s["es"] for s in info["samples"])
    assert int(labels.max()) < len(info["label_names"])
assert cat["label_names"] == mem["label_names"], (cat["label_names"], mem["label_names"])

# Class labels from subjects.csv = the phantom's groups.
groups = {r["patient_id"]: r["group"] for r in csv.DictReader(open(os.path.join(work, "cohort", "subjects.csv")))}
assert len(groups) == 2
for s in cat["subjects"]:
    assert s["class_label"] == groups[s["id"]], (s["id"], s["class_label"], groups)
assert {s["id"]: s["class_label"] for s in mem["subjects"]} == groups

# The catalog and the in-memory phantom agree sample by sample (same subjects, planes, phases;
# both read the same uint16 pixels).
def by_subject(info):
    out = {}
    for i, s in enumerate(info["samples"]):
        subject = info["subjects"][s["subject"]]
        plane = subject["planes"][s["plane"]]
        out.setdefault(subject["id"], []).append((i, plane, s))
    return out
a, b = by_subject(cat), by_subject(mem)
assert sorted(a) == sorted(b), (sorted(a), sorted(b))
worst = 0.0
for pid in a:
    assert len(a[pid]) == len(b[pid]), (pid, len(a[pid]), len(b[pid]))
    for (i, pa, sa), (j, pb, sb) in zip(a[pid], b[pid]):
        for key in ("phase", "phase_count", "ed", "es", "slice_count", "has_labels"):
            assert sa[key] == sb[key], (pid, key, sa[key], sb[key])
        assert pa["view"] == pb["view"] and pa["slice_index"] == pb["slice_index"], (pa, pb)
        assert abs((sa["relative_location"] or 0) - (sb["relative_location"] or 0)) < 1e-9
        worst = max(worst, float(np.abs(cat_images[i] - mem_images[j]).max()))
        assert (cat_labels[i] == mem_labels[j]).all(), (pid, i, j)
assert worst < 1e-4, worst
print("prepare: catalog and phantom agree on", len(cat["samples"]), "samples; max image difference", worst)
PY

# Refusals: an existing dataset (exit 2), unknown study, bad arguments (exit 1), no catalog (3).
expect 2 dataset_exists "$cli" prepare "$cat" --out "$work/cat" --size 64 --spacing 3
[ -f "$work/cat/dataset.json" ] || fail "the refused run removed the dataset"
expect 1 unknown_study "$cli" prepare "$cat" --out "$work/x" --study 1.2.3.4
expect 1 invalid_argument "$cli" prepare "$cat" --out "$work/x" --phases 4
expect 1 invalid_argument "$cli" prepare "$cat" --out "$work/x" --normalisation minmax
expect 1 invalid_argument "$cli" prepare --out "$work/x"
expect 1 invalid_class_labels "$cli" prepare "$cat" --out "$work/x" --class-labels "$work/none.csv"
# Phantom knobs over the level: recorded in the dataset's source; unknown names refused up front.
expect 0 "" "$cli" prepare --phantom heart --subjects 1 --cine-phases 2 --size 32 --spacing 6 \
  --knob inplane_rotation_sd_sax_deg=40 --knob inplane_family_probability=0.25 --out "$work/knobs"
"$py" -c 'import json,sys; k = json.load(open(sys.argv[1]))["source"]["knobs"]
assert k["inplane_rotation_sd_sax_deg"] == 40 and k["inplane_family_probability"] == 0.25, k
assert k["roll_sd_deg"] == 12, k  # the rest stays at level L2' "$work/knobs/dataset.json"
expect 1 unknown_knob "$cli" prepare --phantom heart --knob snr=5 --out "$work/x"
expect 3 "" "$cli" prepare "$work/absent.planelab" --out "$work/x"
[ ! -e "$work/x" ] || fail "a refused run left $work/x"

# --study: one subject; --plan from a dataset.json gives the same plan; --overwrite replaces.
study=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["subjects"][0]["study_uid"])' "$work/cat/dataset.json")
expect 0 "" "$cli" prepare "$cat" --out "$work/one" --study "$study" --plan "$work/cat/dataset.json" --json
"$py" - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
one = json.load(open(os.path.join(work, "one", "dataset.json")))
cat = json.load(open(os.path.join(work, "cat", "dataset.json")))
assert len(one["subjects"]) == 1 and one["plan"] == cat["plan"], (len(one["subjects"]), one["plan"])
PY
expect 0 "" "$cli" prepare "$cat" --out "$work/one" --size 32 --spacing 6 --overwrite --json
"$py" -c 'import json,sys; assert json.load(open(sys.argv[1]))["plan"]["grid"]["size"] == 32' \
  "$work/one/dataset.json" || fail "--overwrite did not replace the dataset"

# Ctrl-C: exit 130 and nothing left (no dataset.json; the new folder is removed).
"$cli" prepare --phantom heart --subjects 200 --seed 3 --size 128 --jobs 1 --out "$work/cancel" \
  > /dev/null 2> "$work/cancel.err" &
pid=$!
sleep 1.5
kill -INT "$pid" 2> /dev/null || true
set +e
wait "$pid"
rc=$?
set -e
[ "$rc" -eq 130 ] || fail "cancel: exit $rc, expected 130: $(cat "$work/cancel.err")"
grep -q "\[cancelled\]" "$work/cancel.err" || fail "no [cancelled] on stderr"
[ ! -e "$work/cancel/dataset.json" ] || fail "a cancelled prepare left a dataset.json"
[ ! -e "$work/cancel" ] || fail "a cancelled prepare left its folder: $(ls -A "$work/cancel")"
echo "cli prepare: all checks passed"
