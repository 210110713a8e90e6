// Test folders: a fresh, empty folder per test process.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace planelab::testing {

// `area`/`name`-<pid> under $PLANELAB_TEST_TMP (or the system temp folder), emptied. Per process:
// CTest runs each test of a GoogleTest executable as its own process, two at a time, so tests
// that ask for the same name must not share (or delete) each other's folder.
inline std::filesystem::path freshTempDir(const std::string& area, const std::string& name) {
  const char* env = std::getenv("PLANELAB_TEST_TMP");
  const std::filesystem::path root = env != nullptr
                                         ? std::filesystem::path(env)
                                         : std::filesystem::temp_directory_path() / "planelab-test";
  const std::filesystem::path dir = root / area / (name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace planelab::testing
