#!/usr/bin/env bash
# `planelab-cli study` as a user meets it, on an in-memory phantom cohort: refused configs, --check,
# --dry-run, a tiny study of a segmentation experiment and a classification experiment that
# fine-tunes from the first one's pretrained networks, Ctrl-C and resume, the report (tables,
# report.json, runs.csv, PNG plots) checked against the runs' own evaluation.json, a rerun that
# finds everything done, --report-only, and another study refused in the same folder.
#   study_test.sh CLI WORK PYTHON
set -euo pipefail
cli=$1 work=$2 py=$3
rm -rf "$work" && mkdir -p "$work"
source "$(dirname "$0")/expect.sh"

cat > "$work/tiny.json" <<JSON
{"name": "tiny study", "out": "$work/tiny", "profile": "test",
 "defaults": {
   "phantom": {"subjects": 10, "seed": 5, "cine_phases": 4},
   "plan": {"grid": {"spacing_mm": 5.0, "size": 48}, "phases": "ed_es"},
   "pretrain": {"threads": 1, "workers": 1, "epochs": 6, "batch_size": 8, "sampling": "all",
                "network": {"base_width": 4, "depth": 3}},
   "finetune": {"threads": 1, "workers": 1, "epochs": 2, "batch_size": 8,
                "network": {"base_width": 4, "depth": 3}},
   "pretrain_epochs": {"multitask": 5, "control": 4},
   "seeds": [1, 2], "jobs": 2},
 "experiments": [
   {"id": "seg", "name": "segmentation", "arms": ["scratch", "multitask", "control"],
    "label_budgets": [1, 2]},
   {"id": "cls", "name": "classification", "pretraining_from": "seg",
    "arms": ["scratch", "multitask"], "label_budgets": [3],
    "finetune": {"task": "classification", "threads": 1, "workers": 1, "epochs": 2,
                 "batch_size": 8, "network": {"base_width": 4, "depth": 3}}}
 ],
 "statistics": {"bootstrap_samples": 300, "seed": 1}}
JSON

# Refused before anything is written.
"$py" - "$work/tiny.json" "$work/typo.json" "$work/later.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
t = json.loads(json.dumps(c)); t["experiments"][0]["label_budget"] = [1]
json.dump(t, open(sys.argv[2], "w"))
l = json.loads(json.dumps(c)); l["experiments"][1]["pretraining_from"] = "nothing"
json.dump(l, open(sys.argv[3], "w"))
PY
expect 1 invalid_config "$cli" study --config "$work/typo.json" --out "$work/typo"
grep -q "study.experiments\[0\].label_budget: unknown field" "$work/err.txt" || fail "typo not named"
expect 1 invalid_config "$cli" study --config "$work/later.json" --out "$work/later"
grep -q "pretraining_from: names no earlier experiment" "$work/err.txt" || fail "bad reference not named"
[ ! -e "$work/typo" ] && [ ! -e "$work/later" ] || fail "a refused study wrote its folder"
expect 1 cannot_read_config "$cli" study --config "$work/nothing.json"

# --check and --dry-run: the classification experiment prepares and pretrains nothing itself.
expect 0 "" "$cli" study --config "$work/tiny.json" --check
grep -q "2 experiment(s), problems: 0" "$work/out.txt" || fail "--check: $(cat "$work/out.txt")"
expect 0 "" "$cli" study --config "$work/tiny.json" --dry-run --json
"$py" - "$work/out.txt" <<'PY'
import json, sys
steps = json.load(open(sys.argv[1]))["steps"]
kinds = [(s["experiment"], s["kind"]) for s in steps]
assert kinds.count(("seg", "pretrain")) == 4, kinds          # multitask, control x 2 seeds
assert kinds.count(("seg", "finetune")) == 12, kinds         # 3 arms x 2 budgets x 2 seeds
assert ("cls", "pretrain") not in kinds, kinds
assert kinds.count(("cls", "finetune")) == 4, kinds
assert all(s["state"] == "todo" for s in steps if s["experiment"] == "seg"), steps
PY

# Ctrl-C once a pretraining run has checkpointed: exit 130, a report of what is there; the same
# command then resumes and finishes.
"$cli" study --config "$work/tiny.json" > /dev/null 2> "$work/first.err" &
pid=$!
last=$work/tiny/seg/pretrain/multitask-seed1/checkpoints/last.pt
for _ in $(seq 1 1200); do
  [ -f "$last" ] && break
  sleep 0.1
done
[ -f "$last" ] || { kill $pid; fail "no pretraining checkpoint after 120 s"; }
kill -INT $pid
set +e
wait $pid
rc=$?
set -e
[ "$rc" -eq 130 ] || fail "interrupted study exit $rc, expected 130: $(tail -3 "$work/first.err")"
grep -q "\[cancelled\]" "$work/first.err" || fail "no [cancelled] message"
[ -f "$work/tiny/report.md" ] || fail "no report after a cancel"

expect 0 "" "$cli" study --config "$work/tiny.json"
grep -q "seg \[2/.*\] pretrain multitask, seed 1 (resuming)" "$work/err.txt" ||
  fail "the pretraining did not resume: $(head -5 "$work/err.txt")"
grep -q "report: $work/tiny/report.md" "$work/out.txt" || fail "no report path: $(cat "$work/out.txt")"
grep -q "threshold_baseline" "$work/out.txt" || fail "no calibration lines printed"

# The report against the runs' own numbers.
"$py" - "$work/tiny" <<'PY'
import collections, csv, json, math, os, statistics, struct, sys
out = sys.argv[1]
report = json.load(open(os.path.join(out, "report.json")))
seg, cls = report["experiments"]
assert seg["id"] == "seg" and cls["id"] == "cls"
assert seg["runs_finished"] == seg["runs_planned"] == 12, seg
assert cls["runs_finished"] == cls["runs_planned"] == 4, cls

def evaluation(exp, arm, budget, seed):
    path = os.path.join(out, exp, "finetune", arm, "n%d-seed%d" % (budget, seed), "evaluation.json")
    return json.load(open(path))["test"]

def subject_scores(test):
    sums = {}
    for s in test["per_stack"]:
        values = [v for v in s["dice"].values() if v is not None]
        if values:
            sums.setdefault(s["subject"], []).append(sum(values) / len(values))
    return {k: sum(v) / len(v) for k, v in sums.items()}

rows = {(r["arm"], r["budget"]): r for r in seg["rows"]}
assert len(rows) == 6, rows.keys()
for (arm, budget), row in rows.items():
    values = [evaluation("seg", arm, budget, s)["mean_dice_3d"] for s in (1, 2)]
    m = row["metrics"]["mean_dice"]
    assert abs(m["mean"] - statistics.mean(values)) < 1e-9, (arm, budget, m, values)
    assert abs(m["sd"] - statistics.stdev(values)) < 1e-9, (arm, budget, m, values)
    assert row["labelled_subjects"] == budget, row
    if arm == "scratch":
        assert "vs_scratch" not in row, row
        continue
    # The paired estimate: mean over seeds and test subjects of (arm - scratch) per subject.
    diffs = []
    for s in (1, 2):
        a = subject_scores(evaluation("seg", arm, budget, s))
        b = subject_scores(evaluation("seg", "scratch", budget, s))
        diffs += [a[k] - b[k] for k in a if k in b]
    vs = row["vs_scratch"]
    assert abs(vs["estimate"] - sum(diffs) / len(diffs)) < 1e-9, (vs, diffs)
    assert vs["low"] <= vs["estimate"] <= vs["high"], vs
    assert vs["seeds"] == 2 and vs["bootstrap_samples"] == 300, vs
for name in ("dice_LV cavity", "dice_LV myocardium", "dice_RV cavity", "mean_hd95_mm"):
    assert name in seg["metrics"], seg["metrics"]
# Classification: accuracy per run; the paired estimate is the accuracy difference.
for row in cls["rows"]:
    values = [evaluation("cls", row["arm"], 3, s)["accuracy"] for s in (1, 2)]
    assert abs(row["metrics"]["accuracy"]["mean"] - statistics.mean(values)) < 1e-9, row
    if row["arm"] == "multitask":
        diff = statistics.mean(values) - statistics.mean(
            [evaluation("cls", "scratch", 3, s)["accuracy"] for s in (1, 2)])
        assert abs(row["vs_scratch"]["estimate"] - diff) < 1e-9, (row, diff)
# The majority-class baseline, recomputed from the dataset and its split.
dataset = json.load(open(os.path.join(out, "seg/dataset/dataset.json")))
split = json.load(open(os.path.join(out, "seg/dataset/splits.json")))
class_of = {x["id"]: x["class_label"] for x in dataset["subjects"] if x.get("class_label")}
train = collections.Counter(class_of[i] for i in split["train"] if i in class_of)
test = collections.Counter(class_of[i] for i in split["test"] if i in class_of)
top = max(sorted(train), key=lambda k: train[k])
mb = cls["majority_baseline"]
assert mb["class"] == top, (mb, train)
assert abs(mb["accuracy"] - test[top] / sum(test.values())) < 1e-12, (mb, test)
assert abs(mb["balanced_accuracy"] - 1 / len(test)) < 1e-12, mb
assert seg["majority_baseline"] is None, seg["majority_baseline"]
init = json.load(open(os.path.join(out, "cls/finetune/multitask/n3-seed2/config.json")))["finetune"]["init"]
assert init == os.path.join(out, "seg/pretrain/multitask-seed2"), init
assert not os.path.exists(os.path.join(out, "cls/dataset")), "cls prepared its own dataset"
# Pretraining and calibration.
arms = [p["arm"] for p in seg["pretraining"]]
assert arms == ["multitask", "control"], arms
ratio = seg["pretraining"][0]["metrics"]["location_mae_ratio"]["mean"]
assert 0 < ratio < 5, ratio
checks = {c["check"] for c in report["calibration"]}
assert {"threshold_baseline", "pretext_heatmaps", "pretext_location"} <= checks, checks
assert seg["threshold_baseline"]["images"] > 0, seg["threshold_baseline"]
# runs.csv: one row per run and metric.
rows_csv = list(csv.DictReader(open(os.path.join(out, "runs.csv"))))
seg_dice = [r for r in rows_csv if r["experiment"] == "seg" and r["metric"] == "mean_dice"]
assert len(seg_dice) == 12, len(seg_dice)
one = [r for r in seg_dice if r["arm"] == "control" and r["budget"] == "2" and r["seed"] == "1"][0]
assert abs(float(one["value"]) - evaluation("seg", "control", 2, 1)["mean_dice_3d"]) < 1e-5, one
# report.md: both tables, the calibration table and the figures, which are real PNG images.
md = open(os.path.join(out, "report.md")).read()
for text in ("## seg: segmentation", "## cls: classification", "| multitask | 2 | 2 |",
             "## Calibration", "![seg](seg.png)", "Δ mean Dice vs scratch",
             "always answering the training split's most common class (" + top + ")",
             "- epochs: pretraining 6 (control 4, multitask 5), fine-tuning 2\n"):
    assert text in md, text
for name in ("seg.png", "cls.png"):
    data = open(os.path.join(out, name), "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", name
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (960, 600), (width, height)
    assert len(data) > 10000, len(data)  # axes, lines and text, not an empty canvas
print("study report ok")
PY

# Again: nothing to run, the same numbers; --report-only rebuilds the same report.
cp "$work/tiny/report.json" "$work/report-first.json"
expect 0 "" "$cli" study --config "$work/tiny.json"
if grep -q "\] pretrain \|\] fine-tune " "$work/err.txt"; then fail "a finished step ran again"; fi
cmp -s "$work/tiny/report.json" "$work/report-first.json" || fail "report.json changed on a rerun"
rm "$work/tiny/report.md"
expect 0 "" "$cli" study --config "$work/tiny.json" --report-only
[ -f "$work/tiny/report.md" ] || fail "--report-only wrote no report"
cmp -s "$work/tiny/report.json" "$work/report-first.json" || fail "--report-only changed the numbers"

# Another study in the same folder is refused (exit 2) and leaves it as it was.
sed 's/"tiny study"/"another"/' "$work/tiny.json" > "$work/another.json"
expect 2 study_exists "$cli" study --config "$work/another.json"
cmp -s "$work/tiny/report.json" "$work/report-first.json" || fail "the refused study changed it"
echo "study e2e: ok"
