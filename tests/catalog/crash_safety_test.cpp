#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include "catalog/catalog.h"
#include "catalog_test_support.h"

namespace planelab::catalog {
namespace {

using testing::freshTempDir;
using testing::multiFrameImage;
using testing::openOrFail;
using testing::RawDb;

// The writer of the child process: batches of multi-frame files, forever, until it is killed.
// A file's size_bytes is its number of frames, so the parent can check that every committed
// file has all its rows. Every fourth batch rewrites earlier paths with a new frame count, so
// kills also land in replacements (cascading deletes).
[[noreturn]] void writeUntilKilled(const std::filesystem::path& file, int round, int ready_fd) {
  Status status;
  auto catalog = Catalog::open(file, status);
  if (!catalog) _exit(2);
  const std::int64_t run = catalog->beginRun("[]", "{}", status);
  if (!status.ok()) _exit(3);
  for (int batch = 0;; ++batch) {
    std::vector<FileRecord> files;
    for (int k = 0; k < 40; ++k) {
      const bool rewrite = batch % 4 == 3;
      const int number = rewrite ? (batch - 3) * 40 + k : batch * 40 + k;
      const int frames = 1 + (number + batch) % 5;
      FileRecord f = multiFrameImage(
          "/data/r" + std::to_string(round) + "/" + std::to_string(number) + ".dcm", frames);
      f.size_bytes = static_cast<std::uint64_t>(frames);
      const std::string uid = "1.2.3." + std::to_string(round) + "." + std::to_string(number);
      for (InstanceRecord& frame : f.instances) frame.sop_instance_uid = uid;
      files.push_back(std::move(f));
    }
    if (!catalog->writeBatch(run, files, nullptr).ok()) _exit(4);
    const char committed = 1;
    if (write(ready_fd, &committed, 1) != 1) _exit(5);
  }
}

TEST(CrashSafety, AWriterKilledAtRandomMomentsLeavesAConsistentCatalog) {
  const auto file = freshTempDir("crash_kill") / "catalog.sqlite";
  openOrFail(file);  // created before the first child, as an importer would
  std::mt19937 random(20240611);
  constexpr int kRounds = 10;
  std::int64_t committed_batches = 0;
  for (int round = 0; round < kRounds; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      writeUntilKilled(file, round, fds[1]);
    }
    close(fds[1]);
    // Let the child commit at least one batch, then kill it somewhere in the next few batches.
    char byte = 0;
    ASSERT_EQ(read(fds[0], &byte, 1), 1) << "the writer failed before its first commit";
    ++committed_batches;
    std::this_thread::sleep_for(
        std::chrono::microseconds(std::uniform_int_distribution<int>(0, 60000)(random)));
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int wstatus = 0;
    ASSERT_EQ(waitpid(child, &wstatus, 0), child);
    ASSERT_TRUE(WIFSIGNALED(wstatus))
        << "the writer exited by itself with " << WEXITSTATUS(wstatus);
    while (read(fds[0], &byte, 1) == 1) ++committed_batches;
    close(fds[0]);

    RawDb raw(file);
    EXPECT_EQ(raw.text("PRAGMA integrity_check"), "ok") << "round " << round;
    EXPECT_TRUE(raw.rows("PRAGMA foreign_key_check").empty()) << "round " << round;
    // Every committed file has all its frames: a file's rows and its files row commit together.
    EXPECT_TRUE(raw.rows("SELECT f.path FROM files f WHERE f.size_bytes != (SELECT count(*) "
                         "FROM instances i WHERE i.file = f.id)")
                    .empty())
        << "round " << round;
    const long long files_in_round = raw.integer(
        "SELECT count(*) FROM files WHERE path LIKE '/data/r" + std::to_string(round) + "/%'");
    EXPECT_GE(files_in_round, 40) << "round " << round;
    EXPECT_EQ(files_in_round % 40, 0) << "round " << round << ": a batch committed in part";
  }
  // The catalog still opens and writes after all the kills.
  auto catalog = openOrFail(file);
  EXPECT_GE(catalog->counts().files, kRounds * 40);
  Status status;
  const std::int64_t run = catalog->beginRun("[]", "{}", status);
  EXPECT_TRUE(catalog->writeBatch(run, {multiFrameImage("/data/after.dcm", 2)}, nullptr).ok());
  RecordProperty("committed_batches", static_cast<int>(committed_batches));
}

}  // namespace
}  // namespace planelab::catalog
