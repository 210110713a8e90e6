#!/usr/bin/env bash
# Training speed: one pretraining step (U-Net with heatmap + location heads, MSE losses, Adam) in
# C++ (planelab::nn, the same code as `planelab-cli benchmark train`) against the same architecture
# in Python PyTorch on the same Debian LibTorch 1.13 and thread count, run alternately in the same
# process tree; and the loader's throughput against that step. Prints a Markdown section (the
# tables) for docs/benchmarks.md. Run on a quiet machine: both sides use every thread they get.
#   bench/training_bench.sh [--paper] [repeats=2]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/build/release/bench
paper=()
if [ "${1:-}" = "--paper" ]; then
  paper=(--paper)
  shift
fi
repeats=${1:-2}
step=$("$bin/train_step_bench" --threads 2 --repeats "$repeats" "${paper[@]}" --python /usr/bin/python3)
loader=$("$bin/loader_bench")
cat <<MD
## Training step and loader (\`bench/training_bench.sh ${paper[*]} $repeats\`)

One pretraining step = forward, MSE(heatmaps) + MSE(location), backward, Adam; random inputs;
2 threads on both sides; C++ \`build/release/bench/train_step_bench --threads 2 --repeats $repeats ${paper[*]}\`
against \`bench/peers/train_step_peer.py\` (same architecture, same parameter count, checked), best
of $repeats alternating runs each. "best step" is the fastest single step of each side.

\`\`\`
$step
\`\`\`

Loader (\`build/release/bench/loader_bench\`): synthetic prepared dataset, batch 16, augmentation
on, heatmaps computed on the fly from the augmented geometry.

\`\`\`
$loader
\`\`\`
MD
