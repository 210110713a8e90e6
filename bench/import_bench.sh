#!/usr/bin/env bash
# Import throughput on a phantom corpus (warm cache) against two peers in the same run: a pydicom
# indexer (bench/peers/pydicom_index.py) and dcm2niix -b o (header parsing without conversion),
# plus the floor (read 4 KiB of every file). Prints a Markdown section for docs/benchmarks.md.
#   import_bench.sh [subjects=62] [jobs=0]   (62 DSB heart subjects x 25 phases ~ 20,000 files)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
subjects=${1:-62} jobs=${2:-0}
cli=$root/build/release/app/planelab-cli
py=/usr/bin/python3
corpus=$root/build/bench-corpus-$subjects
if [ ! -f "$corpus/cohort.json" ]; then
  rm -rf "$corpus"
  "$cli" phantom --organ heart --subjects "$subjects" --phases 25 --labels none --quality fast \
    --out "$corpus" > /dev/null
fi
dicom=$corpus/dicom
files=$(find "$dicom" -type f | wc -l)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat $(find "$dicom" -type f) > /dev/null  # warm the page cache

peak() { awk '/Maximum resident set size/ {printf "%.0f", $6 / 1024}' "$1"; }
/usr/bin/time -v "$cli" import "$work/ours.planelab" "$dicom" --jobs "$jobs" --json > "$work/ours.json" 2> "$work/ours.time"
ours=$("$py" -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["files_per_second"], 1))' "$work/ours.json")
/usr/bin/time -v "$cli" import "$work/ours.planelab" "$dicom" --jobs "$jobs" --json > "$work/again.json" 2> /dev/null
again=$("$py" -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["files"]["unchanged"], round(j["seconds"], 2))' "$work/again.json")
/usr/bin/time -v "$py" "$root/bench/peers/pydicom_index.py" "$dicom" "$work/peer.db" > "$work/pydicom.txt" 2> "$work/pydicom.time"
pyd=$(awk '/^files_per_s/ {print $2}' "$work/pydicom.txt")
mkdir -p "$work/nii"
t0=$(date +%s.%N)
/usr/bin/time -v dcm2niix -b o -o "$work/nii" "$dicom" > /dev/null 2> "$work/dcm2niix.time"
t1=$(date +%s.%N)
d2n=$(awk -v f="$files" -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", f / (b - a)}')
floor=$("$py" "$root/bench/peers/read_4k.py" "$dicom" | awk '/^files_per_s/ {print $2}')
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

cat <<MD
## Import (\`bench/import_bench.sh $subjects $jobs\`)

Corpus: $files phantom MR files ($subjects DSB-layout heart subjects, 25 phases, fast rendering),
page cache warm, $(nproc) cores. Peak memory is the maximum resident set size (GNU time).

| indexer | files/s | PlaneLab ratio | peak memory |
|---|---|---|---|
| \`planelab-cli import\` (first import, all cores) | $ours | 1.00 x | $(peak "$work/ours.time") MiB |
| pydicom $("$py" -c 'import pydicom; print(pydicom.__version__)') + sqlite3 (\`bench/peers/pydicom_index.py\`) | $pyd | $(ratio "$ours" "$pyd") x | $(peak "$work/pydicom.time") MiB |
| dcm2niix -b o (\`dcm2niix -b o -o OUT DIR\`) | $d2n | $(ratio "$ours" "$d2n") x | $(peak "$work/dcm2niix.time") MiB |
| floor: open + read 4 KiB per file (\`bench/peers/read_4k.py\`) | $floor | $(ratio "$ours" "$floor") x | |

Re-import of the unchanged tree: $(cut -d' ' -f1 <<< "$again") files unchanged, $(cut -d' ' -f2 <<< "$again") s (nothing read).
MD
