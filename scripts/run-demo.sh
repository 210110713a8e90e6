#!/usr/bin/env bash
# The main job on the embedded default data: builds PlaneLab if needed, then writes the demo
# cohort (3 cardiac + 2 knee phantom subjects) as DICOM into ./demo-output (or $1).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-demo-output}
bash "$root/scripts/build.sh" release
"$root/build/release/app/planelab-cli" demo --out "$out"
