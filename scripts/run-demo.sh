#!/usr/bin/env bash
# The main job on the embedded default data: builds PlaneLab if needed, then writes the demo
# cohort (16 cardiac + 2 knee phantom subjects) as DICOM into ./demo-output (or $1), imports and
# curates it into demo-output/catalog.planelab. With a display ($DISPLAY or $WAYLAND_DISPLAY) it
# then opens the desktop application on that catalog (the experiment is set up and run from its
# Experiment menu); without one it runs the whole demo in the CLI (prepare, pretrain, fine-tune
# pretrained vs scratch, test Dice). PLANELAB_DEMO=cli forces the CLI demo. Without an argument a
# rerun writes to demo-output-2, -3, ... instead of touching an earlier result.
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
cli="$root/build/release/app/planelab-cli"
gui="$root/build/release/app/planelab"
if [ "${PLANELAB_DEMO:-}" != cli ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$gui" ]; then
  "$cli" demo --out "$out" --no-training
  exec "$gui" "$out/catalog.planelab"
fi
"$cli" demo --out "$out"
