#!/usr/bin/env bash
# The test suite: installs dependencies, builds (release preset) and runs every CTest test
# (unit, end-to-end, and the checks with dciodvfy, dcm2niix, pydicom and nibabel).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/build.sh" release
cd "$root"
ctest --preset release -j "$(nproc)"
