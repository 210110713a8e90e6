// The Catalog's private state, shared by the files that implement its API (catalog.cpp,
// curation_store.cpp).
#pragma once

#include <filesystem>
#include <memory>
#include <new>
#include <string>
#include <string_view>

#include "catalog/catalog.h"
#include "catalog/sqlite_db.h"

namespace planelab::catalog {

struct Catalog::Impl {
  std::filesystem::path path;
  std::unique_ptr<Database> db;
  Status last_status;

  // Runs one API call: SQLite failures and allocation failures become a status (never an
  // exception across the API); the status is also kept for the calls that return values.
  template <typename Body>
  Status guard(const std::string& fallback_key, Body&& body) {
    try {
      last_status = body();
    } catch (const SqliteError& e) {
      last_status = toStatus(e, fallback_key);
    } catch (const std::bad_alloc&) {
      last_status = {fallback_key, "out of memory"};
    }
    return last_status;
  }

  // Closes a run row of `table` (import_runs or curation_runs share the state, finished_at and
  // summary_json columns): "write_failed" for an unknown state or run (`what` names the run kind).
  Status finishRunRow(const std::string& table, const std::string& what, std::int64_t run,
                      const std::string& state, const std::string& summary_json);

  // A listing whose only parameter ?1 is a StudyInstanceUID ('' = every study).
  Table studyListing(std::string_view sql, const std::string& study_instance_uid);
};

}  // namespace planelab::catalog
