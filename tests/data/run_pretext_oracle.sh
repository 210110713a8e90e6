#!/usr/bin/env bash
# CTest driver for data.pretext_oracle: dump our targets, recompute them with the numpy oracle.
# Usage: run_pretext_oracle.sh TARGETS_DUMP PYTHON ORACLE_PY WORK_DIR   (exit 77 = skipped)
set -euo pipefail
dump=$1 python=$2 oracle=$3 work=$4
if ! "$python" -c 'import numpy' 2>/dev/null; then
  echo "numpy is not available to $python: skipped"
  exit 77
fi
rm -rf "$work"
mkdir -p "$work"
"$dump" "$work/cases.json" "$work/targets.f32"
"$python" "$oracle" "$work/cases.json" "$work/targets.f32"
rm -f "$work/targets.f32"  # ~50 MB; kept only when the oracle fails
