#!/usr/bin/env bash
# Runs the benchmarks against the release build and writes docs/benchmarks.md.
# Usage: bench/run_benchmarks.sh [pool_subjects=100] [cohort_subjects=20] [cohort_phases=25]
#                                [import_subjects=62]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pool=${1:-100} subjects=${2:-20} phases=${3:-25} import_subjects=${4:-62}
bin=$root/build/release/bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
py=/usr/bin/python3

phantom_out=$("$bin/phantom_bench" --pool-subjects "$pool")
echo "$phantom_out"
write_out=$("$bin/dicom_write_bench" "$work/ours" --subjects "$subjects" --phases "$phases" --images 300)
echo "$write_out"
peer_out=$("$py" "$root/bench/peers/pydicom_write.py" "$work/ours/write_only" "$work/peer")
echo "pydicom $peer_out"

ours=$(awk '/^write_only_files_per_s/ {print $2}' <<< "$write_out")
peer=$(awk '/^write_only_files_per_s/ {print $2}' <<< "$peer_out")
ratio=$(awk -v a="$ours" -v b="$peer" 'BEGIN {printf "%.2f", a / b}')
get() { awk -v k="$1" '$1 == k {print $2}' <<< "$write_out"; }

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
cat > "$root/docs/benchmarks.md" <<MD
# Benchmarks

Latest results, produced by \`bench/run_benchmarks.sh $pool $subjects $phases $import_subjects\` on $(date -u +%Y-%m-%d)
($(nproc) cores, $cpu), release build. Numbers are wall-clock; rerun the command to refresh.

## Phantom rendering (\`build/release/bench/phantom_bench --pool-subjects $pool\`)

\`\`\`
$phantom_out
\`\`\`

## DICOM writing (\`build/release/bench/dicom_write_bench OUT --subjects $subjects --phases $phases --images 300\`)

| measure | PlaneLab (DCMTK) | pydicom $("$py" -c 'import pydicom; print(pydicom.__version__)') (peer) | ratio |
|---|---|---|---|
| MR files written per second (pre-rendered, serialisation + I/O) | $ours | $peer | $ratio x |

Cohort: $(get cohort_subjects) cardiac subjects, $(get cohort_phases) phases, L2, dsb layout, quality rendering,
all cores: $(get cohort_images) images + $(get cohort_seg_files) SEG files, $(get cohort_mib) MiB in
$(get cohort_seconds) s ($(get cohort_images_per_s) images/s, rendering included).

The peer (\`bench/peers/pydicom_write.py\`) loads the same files first and times only \`save_as\`;
PlaneLab's time also includes building each dataset from the phantom's plan.
MD
import_section=$(bash "$root/bench/import_bench.sh" "$import_subjects")
echo "$import_section"
printf '\n%s\n' "$import_section" >> "$root/docs/benchmarks.md"
curation_section=$(bash "$root/bench/curation_bench.sh")
echo "$curation_section"
printf '\n%s\n' "$curation_section" >> "$root/docs/benchmarks.md"
training_section=$(bash "$root/bench/training_bench.sh")
echo "$training_section"
printf '\n%s\n' "$training_section" >> "$root/docs/benchmarks.md"
browser_section=$(bash "$root/bench/browser_bench.sh")
echo "$browser_section"
printf '\n%s\n' "$browser_section" >> "$root/docs/benchmarks.md"
echo "wrote docs/benchmarks.md"
