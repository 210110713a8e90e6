#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "catalog/schema.h"
#include "catalog/sqlite_db.h"
#include "catalog_test_support.h"

namespace planelab::catalog {
namespace {

using testing::freshTempDir;
using testing::mrImage;
using testing::openOrFail;
using testing::RawDb;
using testing::readBytes;

TEST(CatalogOpen, CreatesANewCatalogAtTheLatestSchemaVersion) {
  const auto file = freshTempDir("open_new") / "catalog.sqlite";
  Status status;
  auto catalog = Catalog::open(file, status);
  ASSERT_TRUE(catalog) << status.error_key << " " << status.message;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(catalog->schemaVersion(), Catalog::latestSchemaVersion());
  EXPECT_GE(Catalog::latestSchemaVersion(), 2);
  EXPECT_EQ(catalog->path(), file);
  catalog.reset();

  RawDb raw(file);
  EXPECT_EQ(raw.integer("PRAGMA user_version"), Catalog::latestSchemaVersion());
  EXPECT_EQ(raw.integer("SELECT version FROM schema_version"), Catalog::latestSchemaVersion());
  EXPECT_EQ(raw.integer("SELECT count(*) FROM schema_version"), 1);
  EXPECT_EQ(raw.integer("PRAGMA application_id"), kCatalogApplicationId);
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
  for (const char* table : {"patients", "studies", "series", "instances", "files", "label_sets",
                            "segments", "label_frames", "import_runs", "import_issues"}) {
    EXPECT_EQ(raw.integer(std::string("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                      "AND name = '") +
                          table + "'"),
              1)
        << table;
  }
}

TEST(CatalogOpen, ReopensACatalogWithItsContent) {
  const auto file = freshTempDir("open_reopen") / "catalog.sqlite";
  {
    auto catalog = openOrFail(file);
    Status status;
    const std::int64_t run = catalog->beginRun("[]", "{}", status);
    ASSERT_TRUE(status.ok());
    ASSERT_TRUE(catalog->writeBatch(run, {mrImage("/data/a.dcm", 1, 1, 1, 1)}, nullptr).ok());
  }
  auto catalog = openOrFail(file);
  EXPECT_EQ(catalog->schemaVersion(), Catalog::latestSchemaVersion());
  const Counts counts = catalog->counts();
  EXPECT_EQ(counts.instances, 1);
  EXPECT_EQ(counts.files, 1);
  EXPECT_EQ(counts.runs, 1);
  EXPECT_EQ(catalog->knownFiles().count("/data/a.dcm"), 1u);
}

TEST(CatalogOpen, InitialisesAnEmptyFile) {
  const auto file = freshTempDir("open_empty") / "catalog.sqlite";
  { std::ofstream(file, std::ios::binary); }
  auto catalog = openOrFail(file);
  EXPECT_EQ(catalog->schemaVersion(), Catalog::latestSchemaVersion());
}

TEST(CatalogOpen, RefusesATextFileAndLeavesItUntouched) {
  const auto dir = freshTempDir("open_text");
  const auto file = dir / "notes.txt";
  { std::ofstream(file) << "Patient list\nnot a database, just some notes\n"; }
  const std::string before = readBytes(file);
  Status status;
  EXPECT_FALSE(Catalog::open(file, status));
  EXPECT_EQ(status.error_key, "not_a_catalog");
  EXPECT_FALSE(status.message.empty());
  EXPECT_EQ(readBytes(file), before);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);
}

TEST(CatalogOpen, RefusesAForeignSqliteDatabaseAndLeavesItUntouched) {
  const auto dir = freshTempDir("open_foreign");
  for (const bool wal : {false, true}) {
    const auto file = dir / (wal ? "foreign_wal.sqlite" : "foreign.sqlite");
    {
      RawDb raw(file);
      if (wal) raw.exec("PRAGMA journal_mode = WAL");
      // Another application that happens to use a table of the same name.
      raw.exec(
          "CREATE TABLE schema_version (version INTEGER); INSERT INTO schema_version "
          "VALUES (1); CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x')");
    }
    const std::string before = readBytes(file);
    Status status;
    EXPECT_FALSE(Catalog::open(file, status));
    EXPECT_EQ(status.error_key, "not_a_catalog") << status.message;
    EXPECT_EQ(readBytes(file), before);
    // Nothing beside it either (no -wal or -shm file).
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), wal ? 2 : 1);
  }
}

TEST(CatalogOpen, RefusesACatalogNewerThanTheCode) {
  const auto file = freshTempDir("open_too_new") / "catalog.sqlite";
  openOrFail(file);
  const int newer = Catalog::latestSchemaVersion() + 1;
  {
    RawDb raw(file);
    raw.exec("UPDATE schema_version SET version = " + std::to_string(newer) +
             "; PRAGMA user_version = " + std::to_string(newer));
  }
  const std::string before = readBytes(file);
  Status status;
  EXPECT_FALSE(Catalog::open(file, status));
  EXPECT_EQ(status.error_key, "catalog_too_new");
  EXPECT_NE(status.message.find(std::to_string(newer)), std::string::npos) << status.message;
  EXPECT_EQ(readBytes(file), before);
  EXPECT_FALSE(std::filesystem::exists(file.string() + "-wal"));
}

TEST(CatalogOpen, ReportsAFolderOrAMissingFolderAsCannotOpen) {
  const auto dir = freshTempDir("open_folder");
  Status status;
  EXPECT_FALSE(Catalog::open(dir, status));
  EXPECT_EQ(status.error_key, "cannot_open_catalog");
  EXPECT_FALSE(Catalog::open(dir / "no" / "such" / "folder" / "catalog.sqlite", status));
  EXPECT_EQ(status.error_key, "cannot_open_catalog");
}

TEST(CatalogOpen, TwoConnectionsShareTheCatalog) {
  const auto file = freshTempDir("open_two") / "catalog.sqlite";
  auto writer = openOrFail(file);
  auto reader = openOrFail(file);
  Status status;
  const std::int64_t run = writer->beginRun("[]", "{}", status);
  ASSERT_TRUE(writer->writeBatch(run, {mrImage("/data/a.dcm", 1, 1, 1, 1)}, nullptr).ok());
  EXPECT_EQ(reader->counts().instances, 1);
}

TEST(CatalogErrors, SqliteFailuresMapToStableKeys) {
  EXPECT_EQ(
      toStatus(SqliteError(SQLITE_FULL, "database or disk is full"), "write_failed").error_key,
      "disk_full");
  EXPECT_EQ(toStatus(SqliteError(SQLITE_BUSY, "database is locked"), "write_failed").error_key,
            "catalog_busy");
  EXPECT_EQ(toStatus(SqliteError(SQLITE_BUSY_SNAPSHOT, "locked"), "read_failed").error_key,
            "catalog_busy");
  const Status other = toStatus(SqliteError(SQLITE_IOERR_WRITE, "disk I/O error"), "write_failed");
  EXPECT_EQ(other.error_key, "write_failed");
  EXPECT_EQ(other.message, "disk I/O error");
}

TEST(CatalogErrors, ABusyCatalogIsReportedNotThrown) {
  const auto file = freshTempDir("errors_busy") / "catalog.sqlite";
  auto catalog = openOrFail(file);
  Status status;
  const std::int64_t run = catalog->beginRun("[]", "{}", status);
  catalog->setBusyTimeout(std::chrono::milliseconds(50));
  RawDb other(file);
  other.exec("BEGIN EXCLUSIVE");  // another process holding the write lock
  const Status write = catalog->writeBatch(run, {mrImage("/data/a.dcm", 1, 1, 1, 1)}, nullptr);
  EXPECT_EQ(write.error_key, "catalog_busy");
  other.exec("ROLLBACK");
  EXPECT_TRUE(catalog->writeBatch(run, {mrImage("/data/a.dcm", 1, 1, 1, 1)}, nullptr).ok());
}

}  // namespace
}  // namespace planelab::catalog
