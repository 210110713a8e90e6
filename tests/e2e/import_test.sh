#!/usr/bin/env bash
# planelab-cli import as a user meets it: phantom cohorts in every layout with SEG labels, bad
# files next to good ones, re-import idempotence, change and delete detection, kill -9 at random
# moments (integrity, then convergence to the uninterrupted result), de-identification, ls,
# issues and tags.
set -euo pipefail
cli=$1 work=$2 py=$3 tools=$4
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
dump() { "$py" "$tools/catalog_dump.py" "$@"; }
jget() { "$py" -c 'import json,sys; v=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): v=v[k]
print(v)' "$1" "$2"; }

# Cohorts: every layout, SEG labels for ED/ES, plus a knee.
for layout in dsb ukb quirks; do
  "$cli" phantom --organ heart --subjects 2 --seed 11 --layout $layout --phases 4 --quality fast \
    --out "$work/cohort_$layout" > /dev/null
  mkdir -p "$work/tree/$layout" && cp -r "$work/cohort_$layout/dicom/." "$work/tree/$layout/"
done
"$cli" phantom --organ knee --subjects 1 --seed 11 --quality fast --out "$work/cohort_knee" > /dev/null
mkdir -p "$work/tree/knee" && cp -r "$work/cohort_knee/dicom/." "$work/tree/knee/"
images=$(find "$work/tree" -name 'IM-*.dcm' | wc -l)
segs=$(find "$work/tree" -name 'seg*.dcm' | wc -l)

# 1. A clean import: exit 0, every image and label set indexed.
"$cli" import "$work/a.planelab" "$work/tree" --json > "$work/a1.json" || fail "clean import exit $?"
[ "$(jget "$work/a1.json" added.instances)" -eq "$images" ] || fail "instances $(jget "$work/a1.json" added.instances) != $images"
[ "$(jget "$work/a1.json" added.label_sets)" -eq "$segs" ] || fail "label sets != $segs"
[ "$(jget "$work/a1.json" catalog_after.issues)" -eq 0 ] || fail "issues in a clean import"
"$cli" ls "$work/a.planelab" patients --json > "$work/patients.json"
[ "$("$py" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$work/patients.json")" -eq 3 ] || fail "patients"

# 2. Re-import: no work, identical catalog.
dump "$work/a.planelab" > "$work/dump1.txt"
"$cli" import "$work/a.planelab" "$work/tree" --json > "$work/a2.json"
[ "$(jget "$work/a2.json" files.read)" -eq 0 ] || fail "re-import read files"
dump "$work/a.planelab" > "$work/dump2.txt"
cmp -s "$work/dump1.txt" "$work/dump2.txt" || fail "re-import changed the catalog"

# 3. Bad files beside good ones: exit 2, one summary, stable keys.
mkdir -p "$work/tree/junk"
head -c 5000 /dev/urandom > "$work/tree/junk/random.bin"
echo "not an image" > "$work/tree/junk/notes.txt"
: > "$work/tree/junk/empty.dcm"
first=$(find "$work/tree/dsb" -name 'IM-*.dcm' | sort | sed -n 1p)
head -c 300 "$first" > "$work/tree/junk/truncated.dcm"
set +e
"$cli" import "$work/a.planelab" "$work/tree" --json > "$work/a3.json"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "bad files: exit $rc, expected 2"
[ "$(jget "$work/a3.json" files.read)" -eq 4 ] || fail "only the 4 new files should be read"
"$py" - "$work/a3.json" <<'PY'
import json, sys
issues = json.load(open(sys.argv[1]))["issues_by_key"]
assert set(issues) <= {"not_dicom", "truncated"}, issues
assert sum(issues.values()) == 4, issues
PY
"$cli" issues "$work/a.planelab" > "$work/issues.txt"
grep -q "not_dicom" "$work/issues.txt" || fail "issues verb shows no not_dicom"
rm -rf "$work/tree/junk"

# 4. A changed file replaces its rows; a deleted file is marked missing, not dropped.
changed=$(find "$work/tree/ukb" -name 'IM-*.dcm' | sort | sed -n 5p)
gone=$(find "$work/tree/ukb" -name 'IM-*.dcm' | sort | sed -n 9p)
dcmodify -nb -m "(0020,0013)=9999" "$changed"
rm "$gone"
"$cli" import "$work/a.planelab" "$work/tree" --json > "$work/a4.json"
[ "$(jget "$work/a4.json" files.read)" -eq 1 ] || fail "change: read $(jget "$work/a4.json" files.read) files"
[ "$(jget "$work/a4.json" updated.instances)" -eq 1 ] || fail "change: no updated instance"
[ "$(jget "$work/a4.json" files.missing)" -ge 5 ] || fail "delete: removed files not marked missing"
"$cli" ls "$work/a.planelab" instances --json > "$work/instances.json"
grep -q '"instance_number": 9999' "$work/instances.json" || fail "changed value not stored"

# 5. kill -9 at random moments: the catalog stays intact, and finishing the import gives exactly
#    the content of an uninterrupted import.
"$cli" phantom --organ heart --subjects 6 --seed 12 --phases 25 --labels ed-es --quality fast \
  --out "$work/big" > /dev/null
t0=$(date +%s.%N)
"$cli" import "$work/reference.planelab" "$work/big/dicom" > /dev/null
t1=$(date +%s.%N)
# Kill points spread over the uninterrupted import's own duration (this machine's speed), scaled
# to the share of files a resumed import still has to index. A kill "lands" when it leaves the
# import unfinished (fewer files indexed than the reference); if an import got to the end first,
# start again from an empty catalog until three kills in a row land.
duration=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
# A kill before the schema's first commit leaves a valid but empty database: 0 files indexed.
files_in() { "$py" -c 'import sqlite3,sys; c = sqlite3.connect(sys.argv[1])
has = c.execute("SELECT count(*) FROM sqlite_master WHERE name = ?", ("files",)).fetchone()[0]
print(c.execute("SELECT count(*) FROM files").fetchone()[0] if has else 0)' "$1"; }
reference_files=$(files_in "$work/reference.planelab")
landed=0
for attempt in $(seq 1 30); do
  # A resumed import only has the files not yet indexed left: aim within that remaining share.
  done_files=0
  [ -f "$work/killed.planelab" ] && done_files=$(files_in "$work/killed.planelab")
  delay=$(awk -v d="$duration" -v s="$attempt" -v n="$done_files" -v t="$reference_files" \
    'BEGIN { srand(s); printf "%.3f", (0.05 + 0.9 * rand()) * d * (1 - n / t) }')
  "$cli" import "$work/killed.planelab" "$work/big/dicom" > /dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ -f "$work/killed.planelab" ] || continue
  [ "$(dump "$work/killed.planelab" --integrity)" = ok ] || fail "integrity after kill -9 at $delay s"
  if [ "$(files_in "$work/killed.planelab")" -lt "$reference_files" ]; then
    landed=$((landed + 1))
    [ "$landed" -ge 3 ] && break
  else
    rm -f "$work/killed.planelab" "$work/killed.planelab-wal" "$work/killed.planelab-shm"
    landed=0
  fi
done
[ "$landed" -ge 3 ] || fail "no three kills in a row landed inside an unfinished import"
kills=$landed
"$cli" import "$work/killed.planelab" "$work/big/dicom" > /dev/null
dump "$work/reference.planelab" > "$work/ref.txt"
dump "$work/killed.planelab" > "$work/killed.txt"
diff -q "$work/ref.txt" "$work/killed.txt" > /dev/null || fail "interrupted + resumed import differs from an uninterrupted one"

# 6. --deidentify: pseudonyms in the catalog, the key nowhere, the files untouched.
before=$(md5sum "$first")
PLANELAB_DEIDENTIFY_KEY=s3cret-key "$cli" import "$work/deid.planelab" "$work/tree/dsb" --deidentify > /dev/null
[ "$(md5sum "$first")" = "$before" ] || fail "a source file changed"
"$cli" ls "$work/deid.planelab" patients --json > "$work/deid.json"
"$py" - "$work/deid.json" <<'PY'
import json, sys
for p in json.load(open(sys.argv[1])):
    assert p["patient_id"].startswith("PX") and p["name"].startswith("PX"), p
PY
"$py" - "$work/deid.planelab" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
text = "\n".join(str(r) for t, in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
                 for r in con.execute(f"SELECT * FROM {t}"))
assert "s3cret-key" not in text, "key stored"
assert "PHANTOM^HEART" not in text, "patient name stored"
PY
if "$cli" import "$work/deid2.planelab" "$work/tree/dsb" --deidentify 2> "$work/err.txt"; then
  fail "--deidentify without a key accepted"
fi
grep -q deidentify_key_missing "$work/err.txt" || fail "no deidentify_key_missing key"

# 7. tags, and a catalog that is not a catalog.
"$cli" tags "$first" > "$work/tags.txt"
grep -q "(0010,0010)" "$work/tags.txt" || fail "tags lacks PatientName"
echo "hello" > "$work/not_a_catalog.planelab"
set +e
"$cli" import "$work/not_a_catalog.planelab" "$work/tree/knee" 2> "$work/err.txt"
rc=$?
set -e
[ "$rc" -eq 3 ] || fail "foreign catalog file: exit $rc, expected 3"
grep -q not_a_catalog "$work/err.txt" || fail "no not_a_catalog key"
[ "$(cat "$work/not_a_catalog.planelab")" = hello ] || fail "foreign file modified"
echo "import: all checks passed ($images images, $segs SEG, $kills kills)"
