#!/usr/bin/env bash
# The training verbs as a user meets them, on a small phantom heart cohort written as DICOM and
# imported: prepare → pretrain (multitask) → finetune from the pretrained run and from scratch →
# evaluate → predict a series back onto its own pixel grid; the refusals (existing run, bad
# config, mismatched plan, unknown series); Ctrl-C after an epoch and --resume; benchmark train.
#   train_test.sh CLI WORK PYTHON
set -euo pipefail
cli=$1 work=$2 py=$3
rm -rf "$work" && mkdir -p "$work"
source "$(dirname "$0")/expect.sh"

"$cli" phantom --organ heart --subjects 6 --seed 31 --phases 4 --labels ed-es --quality fast \
  --threads 2 --out "$work/cohort" > /dev/null || fail "phantom"
cat=$work/c.planelab
"$cli" import "$cat" "$work/cohort/dicom" --jobs 2 > /dev/null || fail "import"
expect 0 "" "$cli" prepare "$cat" --out "$work/ds" --class-labels "$work/cohort/subjects.csv" \
  --size 32 --spacing 5 --phases all --jobs 2 --json

tiny=(--dataset "$work/ds" --base-width 4 --depth 3 --threads 2 --workers 1 --batch 8 --sampling all)
expect 0 "" "$cli" pretrain "${tiny[@]}" --out "$work/pre" --epochs 3 --json
cp "$work/out.txt" "$work/pre.json"
expect 1 run_exists "$cli" pretrain "${tiny[@]}" --out "$work/pre" --epochs 3
echo '{"epoch": 3}' > "$work/typo.json"
expect 1 invalid_config "$cli" pretrain "${tiny[@]}" --out "$work/typo" --config "$work/typo.json"
expect 1 not_a_dataset "$cli" pretrain --dataset "$work/nothing" --out "$work/nods"

expect 0 "" "$cli" finetune --task segmentation "${tiny[@]}" --out "$work/ft" --epochs 3 \
  --init "$work/pre" --labelled 2 --json
cp "$work/out.txt" "$work/ft.json"
grep -q "transferred" "$work/err.txt" || fail "finetune printed no transfer report"
expect 0 "" "$cli" finetune --task segmentation "${tiny[@]}" --out "$work/scratch" --epochs 3 \
  --labelled 2 --json
cp "$work/out.txt" "$work/scratch.json"
expect 0 "" "$cli" finetune --task classification "${tiny[@]}" --out "$work/cls" --epochs 2 --json
cp "$work/out.txt" "$work/cls.json"

# A pretrained run on another grid: refused unless allowed.
expect 0 "" "$cli" prepare "$cat" --out "$work/ds6" --size 32 --spacing 6 --phases ed_es --jobs 2
expect 0 "" "$cli" pretrain --dataset "$work/ds6" --base-width 4 --depth 3 --threads 2 \
  --out "$work/pre6" --epochs 1 --sampling all --batch 8
expect 1 plan_mismatch "$cli" finetune --task segmentation "${tiny[@]}" --out "$work/mis" \
  --epochs 1 --init "$work/pre6"
expect 0 "" "$cli" finetune --task segmentation "${tiny[@]}" --out "$work/mis2" --epochs 1 \
  --init "$work/pre6" --allow-plan-mismatch

expect 0 "" "$cli" evaluate "$work/ft" --json
cp "$work/out.txt" "$work/eval.json"

# Predict the series of the dataset's first (short-axis) sample.
sop=$("$py" -c "import json,sys; print(json.load(open(sys.argv[1]))['samples'][0]['sop_instance_uid'])" \
  "$work/ds/dataset.json")
series=$(sqlite3 "$cat" "SELECT s.series_instance_uid FROM instances i JOIN series s ON i.series = s.id WHERE i.sop_instance_uid = '$sop' LIMIT 1")
[ -n "$series" ] || fail "no short-axis series found"
expect 0 "" "$cli" predict "$work/ft" --catalog "$cat" --series "$series" --out "$work/pred" --json
# --config for evaluate and predict: the flags' names in JSON, flags win, strict.
printf '{"run": "%s", "part": "val"}\n' "$work/ft" > "$work/eval-config.json"
expect 0 "" "$cli" evaluate --config "$work/eval-config.json" --json
"$py" -c "import json,sys; s=json.load(open(sys.argv[1])); assert s['part']=='val', s" "$work/out.txt"
expect 0 "" "$cli" evaluate --config "$work/eval-config.json" --part test --json
"$py" -c "import json,sys; s=json.load(open(sys.argv[1])); assert s['part']=='test', s" "$work/out.txt"
echo '{"prt": "val"}' > "$work/bad-config.json"
expect 1 invalid_config "$cli" evaluate "$work/ft" --config "$work/bad-config.json"
printf '{"run": "%s", "catalog": "%s", "series": "%s", "out": "%s"}\n' "$work/ft" "$cat" \
  "$series" "$work/pred-config" > "$work/predict-config.json"
expect 0 "" "$cli" predict --config "$work/predict-config.json"
[ -f "$work/pred-config/predictions.json" ] || fail "predict --config wrote no predictions.json"
expect 1 unknown_series "$cli" predict "$work/ft" --catalog "$cat" --series 1.2.3 --out "$work/p2"

"$py" - "$work" <<'PY'
import json, os, sys
import numpy as np
work = sys.argv[1]
pre = json.load(open(os.path.join(work, "pre.json")))
assert pre["status"] == "completed" and pre["epochs_done"] == 3, pre
test = pre["evaluation"]["test"]
assert "heatmap_mse" in test and "location_mse" in test, test
for run in ["ft", "scratch"]:
    s = json.load(open(os.path.join(work, run + ".json")))
    assert s["status"] == "completed", s
    d = s["evaluation"]["test"]["mean_dice_3d"]
    assert d is not None and 0.0 <= d <= 1.0, s
    budget = json.load(open(os.path.join(work, run, "label_budget.json")))
    assert len(budget["labelled"]) == 2, budget
    for f in ["config.json", "plan.json", "splits.json", "run.json", "metrics.jsonl",
              "checkpoints/best.pt", "checkpoints/last.pt", "evaluation.json"]:
        assert os.path.exists(os.path.join(work, run, f)), (run, f)
transfer = json.load(open(os.path.join(work, "ft", "transfer.json")))
assert any(n.startswith("encoder.") for n in transfer["transferred"]), transfer
assert any(n.startswith("decoder.") for n in transfer["transferred"]), transfer
assert not any(n.startswith("heads.") for n in transfer["transferred"]), transfer
assert not os.path.exists(os.path.join(work, "scratch", "transfer.json"))
# Same split for every run of the dataset; the test subjects never trained anything.
splits = [json.load(open(os.path.join(work, r, "splits.json"))) for r in ["pre", "ft", "scratch"]]
assert splits[0] == splits[1] == splits[2]
assert not set(splits[0]["test"]) & set(json.load(open(os.path.join(work, "ft", "label_budget.json")))["labelled"])
cls = json.load(open(os.path.join(work, "cls.json")))
assert "balanced_accuracy" in cls["evaluation"]["test"], cls
ev = json.load(open(os.path.join(work, "eval.json")))
assert ev["part"] == "test" and "mean_dice_3d" in ev["metrics"], ev
# metrics.jsonl: one epoch record per epoch
epochs = [json.loads(l) for l in open(os.path.join(work, "pre", "metrics.jsonl")) if '"epoch"' in l]
assert sum(1 for e in epochs if e["type"] == "epoch") == 3
pred = json.load(open(os.path.join(work, "pred", "predictions.json")))
total = sum(i["rows"] * i["cols"] for i in pred["images"])
assert total > 0 and os.path.getsize(os.path.join(work, "pred", "labels.u8")) == total, pred
labels = np.fromfile(os.path.join(work, "pred", "labels.u8"), dtype=np.uint8)
assert labels.max() < len(pred["label_names"]), labels.max()
for i in pred["images"]:
    assert os.path.exists(os.path.join(work, "pred", i["overlay"])), i
print("train e2e: pretrain test", {k: round(v, 4) for k, v in test.items() if isinstance(v, float)})
print("train e2e: dice pretrained", json.load(open(os.path.join(work, "ft.json")))["evaluation"]["test"]["mean_dice_3d"],
      "scratch", json.load(open(os.path.join(work, "scratch.json")))["evaluation"]["test"]["mean_dice_3d"])
PY

# Ctrl-C after the first epoch: exit 130, the finished epoch is kept, --resume completes.
"$cli" pretrain "${tiny[@]}" --out "$work/int" --epochs 40 > /dev/null 2> "$work/int.err" &
pid=$!
for _ in $(seq 1 600); do
  [ -f "$work/int/checkpoints/last.pt" ] && break
  sleep 0.1
done
[ -f "$work/int/checkpoints/last.pt" ] || { kill $pid; fail "no checkpoint after 60 s"; }
kill -INT $pid
set +e
wait $pid
rc=$?
set -e
[ "$rc" -eq 130 ] || fail "interrupted pretrain exit $rc, expected 130: $(tail -3 "$work/int.err")"
grep -q "\[cancelled\]" "$work/int.err" || fail "no [cancelled] message"
grep -q -- "--resume" "$work/int.err" || fail "the message does not say how to resume"
expect 0 "" "$cli" pretrain --resume "$work/int" --json
"$py" -c "import json,sys; s=json.load(open(sys.argv[1])); assert s['status']=='completed' and s['epochs_done']==40, s" "$work/out.txt"

expect 0 "" "$cli" benchmark train --base 4 --size 32 --batch 4 --steps 1 --warmup 1 --threads 2 --json
"$py" -c "import json,sys; s=json.load(open(sys.argv[1])); assert s['images_per_s']>0, s" "$work/out.txt"
echo "train e2e: ok"
