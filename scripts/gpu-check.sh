#!/usr/bin/env bash
# The GPU check of the training engine, run on a GPU machine from the repository root:
#   1. builds the LibTorch-only targets (nn, data, train, prepare and their tests, the step
#      benchmark; no DCMTK, Qt or CLI) against the PyTorch wheel's LibTorch
#      (torch.utils.cmake_prefix_path), with the other build dependencies from .gpu-carry/
#      (scripts/gpu-carry.sh, run beforehand on a Debian machine) where the system lacks them;
#   2. runs the network tests and a short pretraining + fine-tuning on CUDA (the trainer tests
#      pick CUDA when it is available: device "auto"), and prints the device the runs used;
#   3. runs the training-step benchmark on CUDA for the compact and paper presets, C++ against
#      the same architecture in Python PyTorch on the same LibTorch.
# Output goes to $OUT (the device tool's folder) or build/gpu-check.
#   bash scripts/gpu-check.sh        (REPEATS=N: the step benchmark keeps the best of N repeats)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$root/build/gpu-check}
mkdir -p "$out"
py=${PYTHON:-python3}
carry=$root/.gpu-carry
multiarch=lib/x86_64-linux-gnu
exec > >(tee "$out/gpu-check.log") 2>&1

"$py" - <<'PY'
import torch
print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())
if torch.cuda.is_available():
    print("device", torch.cuda.get_device_name(0))
PY
torch_prefix=$("$py" -c 'import torch; print(torch.utils.cmake_prefix_path)')
prefix=$torch_prefix
extra=()
if [ -d "$carry" ]; then
  prefix="$torch_prefix;$carry"
  extra+=(-DSQLite3_INCLUDE_DIR="$carry/include" -DSQLite3_LIBRARY="$carry/$multiarch/libsqlite3.so")
  export LD_LIBRARY_PATH="$carry/$multiarch${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
build=$root/build/gpu
# Warnings stay warnings here: another compiler version may warn where GCC 12 does not.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPLANELAB_DICOM=OFF \
  -DPLANELAB_BENCH=ON -DPLANELAB_WERROR=OFF -DCMAKE_PREFIX_PATH="$prefix" \
  -DPLANELAB_SYSTEM_PYTHON="$(command -v "$py")" "${extra[@]}"
time ninja -C "$build" nn_tests train_tests train_step_bench

"$build/tests/nn/nn_tests"
export PLANELAB_TEST_TMP=$build/test-tmp
time "$build/tests/train/train_tests" \
  --gtest_filter='Trainer.PretrainingLossDecreases:Trainer.FineTuning*:Trainer.Classification*:Checkpoint.*'
echo "devices the trainer runs used:"
grep -h '"device"' "$build"/test-tmp/trainer/*/*/run.json | sort | uniq -c

threads=$(nproc)
paper=(--paper)
if ! "$py" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)'; then
  echo "no CUDA device: benchmarking the compact configurations on the CPU only"
  paper=()
fi
"$build/bench/train_step_bench" --device cuda --threads "$threads" --repeats "${REPEATS:-1}" \
  --python "$py" "${paper[@]}" \
  --json | tee "$out/train_step_bench.json"
