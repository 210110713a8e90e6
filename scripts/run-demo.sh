#!/usr/bin/env bash
# The main job on the embedded default data: builds PlaneLab if needed, then writes the demo
# cohort (3 cardiac + 2 knee phantom subjects) as DICOM into ./demo-output (or $1). Without an
# argument a rerun writes to demo-output-2, -3, ... instead of touching an earlier result.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -ge 1 ]; then
  out=$1
else
  out=demo-output
  n=2
  while [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; do
    out=demo-output-$n
    n=$((n + 1))
  done
fi
bash "$root/scripts/build.sh" release
"$root/build/release/app/planelab-cli" demo --out "$out"
