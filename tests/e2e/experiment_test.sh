#!/usr/bin/env bash
# `planelab-cli experiment` as a user meets it, on in-memory phantom cohorts: a config with a typo
# ([invalid_config]), --check with and without a problem, --dry-run, a tiny experiment run to the
# end (results.csv), a second run that finds everything done, another folder's experiment refused,
# Ctrl-C during a pretraining run (exit 130) and the same command again resuming it.
#   experiment_test.sh CLI WORK PYTHON
set -euo pipefail
cli=$1 work=$2 py=$3
rm -rf "$work" && mkdir -p "$work"
source "$(dirname "$0")/expect.sh"

# config NAME PRETRAIN_EPOCHS [EXTRA JSON FIELDS]: a tiny phantom experiment in $work/NAME.json.
config() {
  cat > "$work/$1.json" <<JSON
{"name": "$1", "out": "$work/$1",
 "phantom": {"subjects": 6, "seed": 3, "cine_phases": 4},
 "plan": {"grid": {"spacing_mm": 5.0, "size": 48}, "phases": "ed_es"},
 "pretrain": {"threads": 1, "workers": 1, "epochs": $2, "batch_size": 8, "sampling": "all",
              "network": {"base_width": 4, "depth": 3}},
 "finetune": {"threads": 1, "workers": 1, "epochs": 1, "batch_size": 8,
              "network": {"base_width": 4, "depth": 3}},
 "arms": ["scratch", "multitask"], "label_budgets": [1], "seeds": [1], "jobs": 2 $3}
JSON
}

# Refused before anything is written: a typo, a per-run field in a template.
config typo 1 ', "seed": [1]'
expect 1 invalid_config "$cli" experiment --config "$work/typo.json" --check
grep -q "experiment.seed: unknown field" "$work/err.txt" || fail "the typo's field is not named"
expect 1 invalid_config "$cli" experiment --config "$work/typo.json"
[ ! -e "$work/typo" ] || fail "a refused config wrote its folder"
expect 1 cannot_read_config "$cli" experiment --config "$work/nothing.json"

# --check: the counts, and a problem (a budget above the labelled subjects) with exit 1.
config tiny 1 ''
expect 0 "" "$cli" experiment --config "$work/tiny.json" --check
grep -q "data: 6 subjects" "$work/out.txt" || fail "--check printed no counts"
grep -q "problems: none" "$work/out.txt" || fail "--check found problems: $(cat "$work/out.txt")"
config greedy 1 ', "label_budgets": [1, 40]'
expect 1 "" "$cli" experiment --config "$work/greedy.json" --check --json
"$py" - "$work/out.txt" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["counts"]["subjects"] == 6, r
assert r["counts"]["planes_by_view"]["sax"] > 0, r
assert [p["key"] for p in r["problems"]] == ["budget_exceeds_labelled"], r
assert r["problems"][0]["page"] == "target", r
PY
# Running it is refused with the problem named, and nothing is written.
expect 1 experiment_has_problems "$cli" experiment --config "$work/greedy.json"
grep -q "\[budget_exceeds_labelled\]" "$work/err.txt" || fail "the problem is not named"
[ ! -e "$work/greedy" ] || fail "a refused experiment wrote its folder"

# --dry-run: the steps in run order, all to do.
expect 0 "" "$cli" experiment --config "$work/tiny.json" --dry-run --json
"$py" - "$work/out.txt" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
steps = [(s["kind"], s.get("arm"), s.get("budget"), s["state"]) for s in r["steps"]]
assert steps == [("prepare", None, None, "todo"), ("pretrain", "multitask", None, "todo"),
                 ("finetune", "scratch", 1, "todo"), ("finetune", "multitask", 1, "todo")], steps
PY

# A tiny experiment to the end, then again: nothing left to do.
expect 0 "" "$cli" experiment --config "$work/tiny.json" --json
"$py" - "$work/out.txt" "$work/tiny" <<'PY'
import csv, json, os, sys
r = json.load(open(sys.argv[1]))
out = sys.argv[2]
assert r["status"] == "completed", r
assert all(s["state"] == "done" for s in r["steps"]), r
rows = list(csv.DictReader(open(os.path.join(out, "results.csv"))))
assert [(row["arm"], row["budget"], row["seed"]) for row in rows] == \
    [("scratch", "1", "1"), ("multitask", "1", "1")], rows
for row in rows:
    assert 0.0 <= float(row["mean_dice"]) <= 1.0, row
    assert float(row["mean_hd95_mm"]) >= 0.0, row
    assert os.path.exists(os.path.join(out, row["run_dir"], "evaluation.json")), row
init = json.load(open(os.path.join(out, "finetune/multitask/n1-seed1/config.json")))["finetune"]["init"]
assert init == os.path.join(out, "pretrain/multitask-seed1"), init
PY
cp "$work/tiny/results.csv" "$work/results-first.csv"
expect 0 "" "$cli" experiment --config "$work/tiny.json"
if grep -q "\[1/4\]\|\[2/4\]\|\[3/4\]\|\[4/4\]" "$work/err.txt"; then fail "a finished step ran again"; fi
cmp -s "$work/tiny/results.csv" "$work/results-first.csv" || fail "results.csv changed"
# The same folder with another config is refused (exit 2).
config other 1 ', "seeds": [2]'
sed -i "s|\"out\": \"$work/other\"|\"out\": \"$work/tiny\"|" "$work/other.json"
expect 2 experiment_exists "$cli" experiment --config "$work/other.json"

# Ctrl-C once the pretraining has checkpointed an epoch: exit 130, then the same command resumes.
config long 15 ''
"$cli" experiment --config "$work/long.json" > /dev/null 2> "$work/long.err" &
pid=$!
last=$work/long/pretrain/multitask-seed1/checkpoints/last.pt
for _ in $(seq 1 600); do
  [ -f "$last" ] && break
  sleep 0.1
done
[ -f "$last" ] || { kill $pid; fail "no pretraining checkpoint after 60 s"; }
kill -INT $pid
set +e
wait $pid
rc=$?
set -e
[ "$rc" -eq 130 ] || fail "interrupted experiment exit $rc, expected 130: $(tail -3 "$work/long.err")"
grep -q "\[cancelled\]" "$work/long.err" || fail "no [cancelled] message"
[ ! -e "$work/long/pretrain/multitask-seed1/evaluation.json" ] || fail "the run finished anyway"
expect 0 "" "$cli" experiment --config "$work/long.json" --dry-run --json
"$py" -c "import json,sys; s=json.load(open(sys.argv[1]))['steps']; assert [x['state'] for x in s] == ['done', 'interrupted', 'todo', 'todo'], s" "$work/out.txt"
expect 0 "" "$cli" experiment --config "$work/long.json"
grep -q "\[2/4\] pretrain multitask, seed 1 (resuming)" "$work/err.txt" || fail "the pretraining did not resume: $(head -5 "$work/err.txt")"
if grep -q "\[1/4\]" "$work/err.txt"; then fail "the dataset was prepared again"; fi
"$py" - "$work/long" <<'PY'
import csv, json, os, sys
out = sys.argv[1]
epochs = [json.loads(l) for l in open(os.path.join(out, "pretrain/multitask-seed1/metrics.jsonl"))]
assert [e["epoch"] for e in epochs if e["type"] == "epoch"] == list(range(15)), "epochs not continued"
assert len(list(csv.DictReader(open(os.path.join(out, "results.csv"))))) == 2
PY
echo "experiment e2e: ok"
