#!/usr/bin/env bash
# Prepares .gpu-carry/ (git-ignored) on this Debian machine for scripts/gpu-check.sh: the few
# build dependencies of the LibTorch-only targets that a GPU machine with only CUDA, CMake, Ninja
# and PyTorch lacks — nlohmann-json (headers + CMake config), SQLite (header + shared library,
# for core/catalog) and GoogleTest (headers, static libraries, CMake config) — copied from the
# Debian packages in the layout their CMake configs expect (they locate themselves relative to
# their own folder). LibTorch itself comes from the GPU machine's PyTorch wheel.
#   scripts/gpu-carry.sh            then carry ".gpu-carry" with the working tree
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
carry=$root/.gpu-carry
multiarch=lib/x86_64-linux-gnu
rm -rf "$carry"
mkdir -p "$carry/include" "$carry/$multiarch/cmake" "$carry/share/cmake"
cp -r /usr/include/nlohmann "$carry/include/"
cp -r /usr/share/cmake/nlohmann_json "$carry/share/cmake/"
cp /usr/include/sqlite3.h /usr/include/sqlite3ext.h "$carry/include/"
cp -L /usr/$multiarch/libsqlite3.so.0 "$carry/$multiarch/libsqlite3.so.0"
ln -s libsqlite3.so.0 "$carry/$multiarch/libsqlite3.so"
cp -r /usr/include/gtest /usr/include/gmock "$carry/include/"
cp /usr/$multiarch/libgtest.a /usr/$multiarch/libgtest_main.a /usr/$multiarch/libgmock.a \
  /usr/$multiarch/libgmock_main.a "$carry/$multiarch/"
cp -r /usr/$multiarch/cmake/GTest "$carry/$multiarch/cmake/"
du -sh "$carry"
