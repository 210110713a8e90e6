#!/usr/bin/env bash
# Configures and builds PlaneLab (release preset by default) after installing what is missing.
# Usage: scripts/build.sh [preset]      presets: release (default), debug (ASan + UBSan)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
preset=${1:-release}
bash "$root/scripts/install-deps.sh"
cd "$root"
cmake --preset "$preset" > /dev/null
cmake --build --preset "$preset" -j "$(nproc)"
