#include "catalog/schema.h"

#include <sqlite3.h>

#include <fstream>
#include <string>
#include <system_error>

#include "catalog/sqlite_db.h"

namespace planelab::catalog {
namespace {

// How long a connection waits for another process's write lock before reporting catalog_busy.
constexpr int kBusyTimeoutMs = 5000;

int latestVersion() {
  return schemaScripts().back().version;
}

std::uint32_t bigEndian32(const unsigned char* bytes) {
  return std::uint32_t{bytes[0]} << 24 | std::uint32_t{bytes[1]} << 16 |
         std::uint32_t{bytes[2]} << 8 | std::uint32_t{bytes[3]};
}

// What a file on disk is, judged from its 100-byte SQLite header alone: a file that is not ours is
// refused without any SQLite connection, so nothing is written to it or beside it (a connection
// would leave -wal/-shm files beside a foreign WAL database, or checkpoint it on close). In WAL
// mode the header can lag behind the last commits; the version is read again through SQLite before
// anything is written.
void inspect(const std::filesystem::path& file, Status& status) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return;
  if (std::filesystem::is_directory(file, ec)) {
    status = {"cannot_open_catalog", file.string() + " is a folder"};
    return;
  }
  const std::uintmax_t size = std::filesystem::file_size(file, ec);
  if (ec) {
    status = {"cannot_open_catalog", file.string() + ": " + ec.message()};
    return;
  }
  if (size == 0) return;

  // https://www.sqlite.org/fileformat.html#the_database_header
  constexpr std::size_t kHeaderSize = 100;
  constexpr std::string_view kMagic("SQLite format 3\0", 16);
  unsigned char header[kHeaderSize] = {};
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    status = {"cannot_open_catalog", "cannot read " + file.string()};
    return;
  }
  in.read(reinterpret_cast<char*>(header), kHeaderSize);
  if (static_cast<std::size_t>(in.gcount()) != kHeaderSize ||
      std::string_view(reinterpret_cast<const char*>(header), kMagic.size()) != kMagic) {
    status = {"not_a_catalog", file.string() + " is not an SQLite database"};
    return;
  }
  const std::uint32_t user_version = bigEndian32(header + 60);
  const std::uint32_t application_id = bigEndian32(header + 68);
  const std::uint32_t page_size = header[16] << 8 | header[17];  // 1 means 65536
  const std::uintmax_t page_bytes = page_size == 1 ? 65536u : page_size;
  if (application_id == 0 && user_version == 0 && size <= page_bytes) {
    return;  // an empty SQLite database: nothing beyond the first page
  }
  if (application_id != static_cast<std::uint32_t>(kCatalogApplicationId)) {
    status = {"not_a_catalog", file.string() + " is an SQLite database of another application"};
    return;
  }
  if (user_version > static_cast<std::uint32_t>(latestVersion())) {
    status = {"catalog_too_new",
              file.string() + " has catalog schema version " + std::to_string(user_version) +
                  "; this PlaneLab reads versions up to " + std::to_string(latestVersion())};
    return;
  }
}

int storedVersion(Database& db) {
  if (db.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                "name = 'schema_version'") == 0) {
    return 0;
  }
  return static_cast<int>(db.scalar("SELECT version FROM schema_version WHERE id = 1"));
}

// The schema version of an open database: 0 for an empty database, or -1 with status set when it
// is not a catalog this code can use.
int catalogVersion(Database& db, Status& status) {
  const std::int64_t application_id = db.scalar("PRAGMA application_id");
  const bool has_objects = db.scalar("SELECT count(*) FROM sqlite_master") != 0;
  if (application_id == 0 && !has_objects) return 0;
  const int version = application_id == kCatalogApplicationId ? storedVersion(db) : 0;
  if (version < 1) {
    status = {"not_a_catalog", "the database is not a PlaneLab catalog"};
    return -1;
  }
  if (version > latestVersion()) {
    status = {"catalog_too_new", "the catalog has schema version " + std::to_string(version) +
                                     "; this PlaneLab reads versions up to " +
                                     std::to_string(latestVersion())};
    return -1;
  }
  return version;
}

// Applies the scripts after the stored version in one transaction. Foreign keys are off while the
// scripts run (SQLite's procedure for schema changes, so a later script may rebuild a table) and
// checked before the commit.
void migrate(Database& db, Status& status) {
  Transaction transaction(db);
  // Read again under the write lock: another process may have created or migrated the catalog
  // meanwhile.
  const int from = catalogVersion(db, status);
  if (from < 0 || from == latestVersion()) return;
  for (const SchemaScript& script : schemaScripts()) {
    if (script.version <= from) continue;
    try {
      db.exec(script.sql);
    } catch (const SqliteError& e) {
      status = toStatus(e, "migration_failed");
      status.message = std::string(script.name) + ": " + status.message;
      return;
    }
    if (storedVersion(db) != script.version || db.scalar("PRAGMA user_version") != script.version) {
      status = {"migration_failed", std::string(script.name) + " did not record version " +
                                        std::to_string(script.version)};
      return;
    }
  }
  if (db.query("PRAGMA foreign_key_check").step()) {
    status = {"migration_failed", "foreign key violations after the migration"};
    return;
  }
  transaction.commit();
}

}  // namespace

std::unique_ptr<Database> openCatalogDatabase(const std::filesystem::path& file, Status& status) {
  status = {};
  inspect(file, status);
  if (!status.ok()) return nullptr;
  try {
    auto db = std::make_unique<Database>(file, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    sqlite3_busy_timeout(db->handle(), kBusyTimeoutMs);
    // A plain read (no write lock, so opening never waits for a running import) confirms what the
    // header said before anything is changed.
    const int version = catalogVersion(*db, status);
    if (version < 0) return nullptr;
    // WAL: readers (the GUI, `ls`) never block the importer's writes. synchronous NORMAL: a
    // killed process loses nothing committed; only a power cut may lose the last commits.
    db->exec("PRAGMA journal_mode = WAL");
    db->exec("PRAGMA synchronous = NORMAL");
    db->exec("PRAGMA temp_store = MEMORY");
    db->exec("PRAGMA cache_size = -16384");  // KiB: room for the indexes of large batches
    if (version < latestVersion()) {
      db->exec("PRAGMA foreign_keys = OFF");
      try {
        migrate(*db, status);
      } catch (const SqliteError& e) {
        status = toStatus(e, "migration_failed");
      }
      if (!status.ok()) return nullptr;
    }
    db->exec("PRAGMA foreign_keys = ON");
    return db;
  } catch (const SqliteError& e) {
    status = toStatus(e, "cannot_open_catalog");
    return nullptr;
  }
}

}  // namespace planelab::catalog
