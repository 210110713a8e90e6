#!/usr/bin/env bash
# Same seed -> byte-identical phantom on any compiler: compiles the fingerprint program and the
# phantom sources with a second compiler (clang++) and compares its hash with the project build's.
#   cross_compiler_test.sh PROJECT_FINGERPRINT_BINARY SOURCE_DIR WORK_DIR
set -euo pipefail
ours=$1 src=$2 work=$3
other=$(command -v clang++ || true)
[ -n "$other" ] || { echo "clang++ missing: run scripts/install-deps.sh" >&2; exit 1; }
mkdir -p "$work"
"$other" -O2 -std=c++17 -ffp-contract=off -I"$src/core" -o "$work/fingerprint_clang" \
  "$src/tests/phantom/phantom_fingerprint.cpp" "$src"/core/geometry/*.cpp "$src"/core/phantom/*.cpp -lpthread
a=$("$ours")
b=$("$work/fingerprint_clang")
echo "project compiler: $a  clang++: $b"
[ "$a" = "$b" ]
