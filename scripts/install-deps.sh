#!/usr/bin/env bash
# Installs PlaneLab's build and test dependencies on Debian 12: apt packages, and ONNX Runtime from
# npm (onnxruntime-node, for the ONNX export tests) into build/npm/.
# Idempotent: what is already present is skipped, so CI and developers can run it every time.
# Usage: scripts/install-deps.sh            (as root or with sudo available)
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git clang clang-format
  # libraries used by core/ and app/
  libdcmtk-dev dcmtk libcli11-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
  libsqlite3-dev sqlite3 libssl-dev libpng-dev zlib1g-dev
  # LibTorch 1.13 (CPU) for core/data, nn, train; Python PyTorch on the same LibTorch for checks
  # and speed comparisons
  libtorch-dev python3-torch
  # ONNX export: the ONNX project's protobuf definitions; onnx.checker for the tests
  libonnx-dev libprotobuf-dev python3-onnx
  # the desktop application: Qt6 Widgets/Charts/OpenGL, Qt's translation tools, VTK 9 (its CMake
  # package needs MPI headers); GUI tests render VTK under Xvfb with Mesa's software GL
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  libvtk9-dev mpi-default-dev xvfb xauth libgl1-mesa-dri libglx-mesa0
  # what the package needs at run time without linking it: platform plugins, Qt's translations
  qt6-qpa-plugins qt6-translations-l10n
  # tests and benchmarks (GNU time measures peak memory in bench/)
  libgtest-dev libgmock-dev time
  # the Debian package (installer/): icon rendering, and the checks its test runs
  librsvg2-bin help2man dpkg-dev lintian desktop-file-utils appstream
  # tools nobody here wrote, used by the tests to check our output
  dicom3tools dcm2niix python3 python3-numpy python3-pydicom python3-nibabel
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js and npm run ONNX Runtime in the tests; a machine may already have them from elsewhere
# (e.g. NodeSource), so only ask Debian for them when they are missing.
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then missing+=(nodejs npm); fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# ONNX Runtime for Node (CPU binaries ship in the package; =skip fetches no GPU add-ons).
root=$(cd "$(dirname "$0")/.." && pwd)
npm_dir=$root/build/npm
ort_version=1.30.0
if [ ! -f "$npm_dir/node_modules/onnxruntime-node/package.json" ] ||
   ! grep -q "\"version\": \"$ort_version\"" "$npm_dir/node_modules/onnxruntime-node/package.json"; then
  echo "install-deps: npm onnxruntime-node@$ort_version -> $npm_dir"
  mkdir -p "$npm_dir"
  # A machine without the npm registry still builds and runs every other test; the ONNX Runtime
  # checks then fail and say where ONNX Runtime was expected.
  npm install --prefix "$npm_dir" --no-audit --no-fund --no-save \
    "onnxruntime-node@$ort_version" --onnxruntime-node-install=skip > "$npm_dir/install.log" 2>&1 ||
    { tail -20 "$npm_dir/install.log"; echo "install-deps: WARNING: npm install failed" >&2; }
fi
