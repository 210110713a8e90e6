#include "catalog/catalog.h"

#include <sqlite3.h>

#include <new>

#include "catalog/batch_writer.h"
#include "catalog/catalog_impl.h"
#include "catalog/listing.h"
#include "catalog/schema.h"
#include "catalog/sqlite_db.h"

namespace planelab::catalog {

Catalog::Catalog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Catalog::~Catalog() = default;

std::unique_ptr<Catalog> Catalog::open(const std::filesystem::path& file, Status& status) {
  try {
    std::unique_ptr<Database> db = openCatalogDatabase(file, status);
    if (!db) return nullptr;
    auto impl = std::make_unique<Impl>();
    impl->path = file;
    impl->db = std::move(db);
    return std::unique_ptr<Catalog>(new Catalog(std::move(impl)));
  } catch (const std::bad_alloc&) {
    status = {"cannot_open_catalog", "out of memory"};
    return nullptr;
  }
}

int Catalog::latestSchemaVersion() {
  return schemaScripts().back().version;
}

int Catalog::schemaVersion() const {
  int version = 0;
  impl_->guard("read_failed", [&] {
    version = static_cast<int>(impl_->db->scalar("SELECT version FROM schema_version"));
    return Status{};
  });
  return version;
}

void Catalog::setBusyTimeout(std::chrono::milliseconds timeout) {
  sqlite3_busy_timeout(impl_->db->handle(), static_cast<int>(timeout.count()));
}

const std::filesystem::path& Catalog::path() const {
  return impl_->path;
}

const Status& Catalog::lastStatus() const {
  return impl_->last_status;
}

std::unordered_map<std::string, KnownFile> Catalog::knownFiles() const {
  std::unordered_map<std::string, KnownFile> files;
  impl_->guard("read_failed", [&] {
    Query q = impl_->db->query("SELECT path, size_bytes, mtime_ns, missing FROM files");
    while (q.step()) {
      files.emplace(q.textAt(0), KnownFile{static_cast<std::uint64_t>(q.int64At(1)), q.int64At(2),
                                           q.int64At(3) != 0});
    }
    return Status{};
  });
  return files;
}

std::int64_t Catalog::beginRun(const std::string& inputs_json, const std::string& options_json,
                               Status& status) {
  std::int64_t run = 0;
  status = impl_->guard("write_failed", [&] {
    impl_->db
        ->query(
            "INSERT INTO import_runs (started_at, state, inputs_json, options_json) "
            "VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'running', ?1, ?2)")
        .bind(1, inputs_json)
        .bind(2, options_json)
        .run();
    run = impl_->db->lastInsertRowId();
    return Status{};
  });
  return run;
}

Status Catalog::Impl::finishRunRow(const std::string& table, const std::string& what,
                                   std::int64_t run, const std::string& state,
                                   const std::string& summary_json) {
  return guard("write_failed", [&] {
    if (state != "complete" && state != "cancelled" && state != "failed") {
      return Status{"write_failed", "unknown run state '" + state + "'"};
    }
    db->query("UPDATE " + table +
              " SET state = ?2, summary_json = ?3, "
              "finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1")
        .bind(1, run)
        .bind(2, state)
        .bind(3, summary_json)
        .run();
    if (db->changes() == 0) {
      return Status{"write_failed", "no " + what + " run " + std::to_string(run)};
    }
    return Status{};
  });
}

Table Catalog::Impl::studyListing(std::string_view sql, const std::string& study_instance_uid) {
  Table table;
  guard("read_failed", [&] {
    Query q = db->query(sql);
    q.bind(1, study_instance_uid);
    table = readTable(q);
    return Status{};
  });
  return table;
}

Status Catalog::finishRun(std::int64_t run, const std::string& state,
                          const std::string& summary_json) {
  return impl_->finishRunRow("import_runs", "import", run, state, summary_json);
}

Status Catalog::writeBatch(std::int64_t run, const std::vector<FileRecord>& files,
                           BatchCounts* counts) {
  BatchCounts batch;
  const Status status = impl_->guard("write_failed", [&] {
    Database& db = *impl_->db;
    Transaction transaction(db);
    {
      Query known_run = db.query("SELECT 1 FROM import_runs WHERE id = ?1");
      if (!known_run.bind(1, run).step()) {
        return Status{"write_failed", "no import run " + std::to_string(run)};
      }
    }
    BatchWriter writer(db, run, batch);
    for (const FileRecord& file : files) writer.write(file);
    writer.finish();
    transaction.commit();
    return Status{};
  });
  if (counts != nullptr) *counts = status.ok() ? std::move(batch) : BatchCounts{};
  return status;
}

Status Catalog::markMissing(std::int64_t run, const std::vector<std::string>& paths, bool missing) {
  return impl_->guard("write_failed", [&] {
    Database& db = *impl_->db;
    Transaction transaction(db);
    for (const std::string& path : paths) {
      if (missing) {
        db.query(
              "UPDATE files SET missing = 1, missing_since_run = ?2 WHERE path = ?1 AND "
              "missing = 0")
            .bind(1, path)
            .bind(2, run)
            .run();
      } else {
        db.query(
              "UPDATE files SET missing = 0, missing_since_run = NULL WHERE path = ?1 AND "
              "missing = 1")
            .bind(1, path)
            .run();
      }
    }
    transaction.commit();
    return Status{};
  });
}

Counts Catalog::counts() const {
  Counts c;
  impl_->guard("read_failed", [&] {
    Query q = impl_->db->query(
        "SELECT (SELECT count(*) FROM patients), (SELECT count(*) FROM studies), "
        "(SELECT count(*) FROM series), (SELECT count(*) FROM instances), "
        "(SELECT count(*) FROM label_sets), (SELECT count(*) FROM files), "
        "(SELECT count(*) FROM files WHERE missing = 1), (SELECT count(*) FROM import_issues), "
        "(SELECT count(*) FROM import_runs)");
    if (q.step()) {
      c = {q.int64At(0), q.int64At(1), q.int64At(2), q.int64At(3), q.int64At(4),
           q.int64At(5), q.int64At(6), q.int64At(7), q.int64At(8)};
    }
    return Status{};
  });
  return c;
}

Table Catalog::list(Level level, const Filters& filters) const {
  Table table;
  impl_->guard("read_failed", [&] {
    table = listLevel(*impl_->db, level, filters);
    return Status{};
  });
  return table;
}

Table Catalog::issues(std::optional<std::int64_t> run) const {
  Table table;
  impl_->guard("read_failed", [&] {
    table = listIssues(*impl_->db, run);
    return Status{};
  });
  return table;
}

Table Catalog::runs() const {
  Table table;
  impl_->guard("read_failed", [&] {
    table = listRuns(*impl_->db);
    return Status{};
  });
  return table;
}

}  // namespace planelab::catalog
