#!/usr/bin/env bash
# planelab-cli as a user meets it: bad arguments, a non-empty output folder, a small cohort with
# --json, byte-identical regeneration, and cancellation leaving only complete subjects.
set -euo pipefail
cli=$1 work=$2 py=$3
rm -rf "$work" && mkdir -p "$work"
source "$(dirname "$0")/expect.sh"

# Bad arguments: clear message, non-zero exit.
if "$cli" phantom --organ lung --out "$work/x" 2>"$work/err.txt"; then fail "--organ lung accepted"; fi
grep -q -- "--organ" "$work/err.txt" || fail "no message naming --organ: $(cat "$work/err.txt")"
if "$cli" phantom --organ heart 2>"$work/err.txt"; then fail "missing --out accepted"; fi
grep -q -- "--out" "$work/err.txt" || fail "no message naming --out"
if "$cli" phantom --subjects 0 --out "$work/x" 2>/dev/null; then fail "--subjects 0 accepted"; fi
# Usage errors (CLI11's own and ours) exit 1, as the README says; help exits 0.
expect 1 unknown_knob "$cli" phantom --knob snr=5 --out "$work/x"
expect 1 "" "$cli" import --jobs -5 "$work/c.planelab" "$work"
expect 0 "" "$cli" prepare --help
expect 1 bad_knob_value "$cli" phantom --knob snr_min=abc --out "$work/x"
[ ! -e "$work/x" ] || fail "a refused command created its output folder"

# A non-empty output folder is never overwritten.
mkdir -p "$work/busy" && echo precious > "$work/busy/keep.txt"
set +e
"$cli" phantom --subjects 1 --phases 2 --quality fast --out "$work/busy" 2>"$work/err.txt"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "non-empty folder: exit $rc, expected 2"
grep -q "output_not_empty" "$work/err.txt" || fail "no output_not_empty key"
[ "$(cat "$work/busy/keep.txt")" = precious ] || fail "existing file changed"
[ "$(ls "$work/busy")" = keep.txt ] || fail "files added to a refused folder"

# A small cohort with a machine-readable summary.
"$cli" phantom --organ heart --subjects 2 --seed 7 --level L1 --layout ukb --phases 3 --labels ed-es \
  --quality fast --threads 2 --out "$work/a" --json > "$work/a.json"
"$py" - "$work/a.json" "$work/a" <<'PY'
import json, os, sys
summary = json.load(open(sys.argv[1]))
assert summary["status"] == "ok", summary
assert len(summary["subjects"]) == 2, summary
images = sum(len([f for f in fs if f.endswith(".dcm")]) for d, _, fs in os.walk(sys.argv[2]) if "labels" not in d)
# The DICOM tree holds only DICOM files; the truth lives beside it.
assert all(f.endswith(".dcm") for d, _, fs in os.walk(os.path.join(sys.argv[2], "dicom")) for f in fs)
assert images == summary["images"], (images, summary["images"])
for s in summary["subjects"]:
    truth = json.load(open(s["truth"]))
    assert truth["organ"] == "heart"
    assert s["seg_files"] > 0
cohort = json.load(open(os.path.join(sys.argv[2], "cohort.json")))
assert cohort["complete"] is True and len(cohort["subjects"]) == 2
print("json summary ok:", summary["images"], "images")
PY

# Same seed, same bytes (thread count does not matter).
"$cli" phantom --organ heart --subjects 2 --seed 7 --level L1 --layout ukb --phases 3 --labels ed-es \
  --quality fast --threads 1 --out "$work/b" > /dev/null
diff -r "$work/a" "$work/b" > /dev/null || fail "same seed gave different files"
"$cli" phantom --organ heart --subjects 1 --seed 8 --level L1 --layout ukb --phases 3 --quality fast \
  --knob snr_min=5 --knob snr_max=6 --out "$work/c" > /dev/null
if cmp -s "$work/a/truth/PL-HEART-0000.json" "$work/c/truth/PL-HEART-0000.json"; then fail "seed ignored"; fi
"$py" - "$work/c/truth/PL-HEART-0000.json" <<'PY'
import json, sys
knobs = json.load(open(sys.argv[1]))["knobs"]
assert knobs["snr_min"] == 5 and knobs["snr_max"] == 6, knobs
assert knobs["roll_sd_deg"] == 6, knobs  # the rest stays at level L1
PY

# Cancellation (SIGINT) keeps only complete subjects and a consistent cohort.json.
"$cli" phantom --organ heart --subjects 6 --phases 10 --quality quality --threads 1 --out "$work/cancel" \
  > "$work/cancel.txt" 2>&1 &
pid=$!
# Up to 120 s for the first subject: a loaded CI machine running tests in parallel is slow.
for _ in $(seq 1 600); do
  [ -f "$work/cancel/truth/PL-HEART-0000.json" ] && break
  sleep 0.2
done
kill -INT "$pid"
set +e
wait "$pid"
rc=$?
set -e
[ "$rc" -eq 130 ] || fail "cancel: exit $rc, expected 130 ($(cat "$work/cancel.txt"))"
"$py" - "$work/cancel" <<'PY'
import json, os, sys
root = sys.argv[1]
cohort = json.load(open(os.path.join(root, "cohort.json")))
assert cohort["complete"] is False
listed = {s["patient_id"] for s in cohort["subjects"]}
def entries(folder):  # a cancel before the first subject completes leaves no folder at all
    path = os.path.join(root, folder)
    return set(os.listdir(path)) if os.path.isdir(path) else set()
present = entries("dicom")
truths = {f[:-len(".json")] for f in entries("truth")}
assert listed == present == truths, (listed, present, truths)
print("cancel ok:", len(present), "complete subjects kept")
PY
echo "cli behaviour: all checks passed"
