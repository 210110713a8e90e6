#!/usr/bin/env bash
# DICOM -> compressed NIfTI of labelled short-axis stacks: `planelab-cli nnunet` (images and
# labels, one case per labelled phase) against dcm2niix -z y -1 (the reference converter, images
# only) on exactly the same image files, in the same run. Prints a Markdown section for
# docs/benchmarks.md.
#   nifti_bench.sh [subjects=20] [phases=25]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
subjects=${1:-20} phases=${2:-25}
cli=$root/build/release/app/planelab-cli
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$cli" phantom --organ heart --subjects "$subjects" --phases "$phases" --labels ed-es --quality fast \
  --out "$work/cohort" > /dev/null
"$cli" import "$work/c.planelab" "$work/cohort/dicom" > /dev/null

t0=$(date +%s.%N)
"$cli" nnunet "$work/c.planelab" --out "$work/raw" --test-fraction 0 --json > "$work/ours.json"
t1=$(date +%s.%N)
"$cli" nnunet "$work/c.planelab" --out "$work/raw1" --test-fraction 0 --jobs 1 > /dev/null
t4=$(date +%s.%N)
dataset=$(ls -d "$work"/raw/Dataset*)
# The peer converts the same image files (hard links to them, one folder).
mkdir -p "$work/peer_in" "$work/peer_out"
"$py" - "$dataset/planelab_cases.json" "$work/c.planelab" "$work/peer_in" <<'PY'
import json, os, sqlite3, sys
cases = json.load(open(sys.argv[1]))["cases"]
db = sqlite3.connect(sys.argv[2])
for c in cases:
    for uid in c["sop_instance_uids"]:
        (path,) = db.execute("SELECT f.path FROM files f JOIN instances i ON i.file = f.id "
                             "WHERE i.sop_instance_uid = ?", (uid,)).fetchone()
        os.link(path, os.path.join(sys.argv[3], uid + ".dcm"))
PY
images=$(find "$work/peer_in" -type f | wc -l)
find "$work/peer_in" -type f -exec cat {} + > /dev/null  # warm the page cache
t2=$(date +%s.%N)
dcm2niix -z y -1 -f %j -o "$work/peer_out" "$work/peer_in" > "$work/dcm2niix.log" 2>&1 || { tail -5 "$work/dcm2niix.log" >&2; exit 1; }
t3=$(date +%s.%N)
ours=$(awk -v n="$images" -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", n / (b - a)}')
ours1=$(awk -v n="$images" -v a="$t1" -v b="$t4" 'BEGIN {printf "%.1f", n / (b - a)}')
peer=$(awk -v n="$images" -v a="$t2" -v b="$t3" 'BEGIN {printf "%.1f", n / (b - a)}')
cases=$("$py" -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["training_cases"] + j["test_cases"])' "$work/ours.json")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
cat <<MD
## DICOM to NIfTI (\`bench/nifti_bench.sh $subjects $phases\`)

$subjects DSB-layout heart subjects, $phases phases, ED/ES labelled: $cases short-axis cases,
$images image files (the labelled phases' slices). Both write gzip-compressed NIfTI.

| converter | images/s | \`nnunet\` (all cores) / this |
|---|---|---|
| \`planelab-cli nnunet\` (images + labels, curation, one file per case, all $(nproc) cores) | $ours | 1.00 x |
| \`planelab-cli nnunet --jobs 1\` | $ours1 | $(ratio "$ours" "$ours1") x |
| dcm2niix -z y -1 (same files, images only, one process, compression level 1 as ours) | $peer | $(ratio "$ours" "$peer") x |

Images are written as int16 when every value is an integer in range (MR pixels after a unit
Modality LUT; as dcm2niix does), compressed with zlib level 1.
MD
