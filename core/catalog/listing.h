// Read-only queries of the catalog as generic tables (CLI `ls` and `issues`, JSON, the GUI).
#pragma once

#include <cstdint>
#include <optional>

#include "catalog/catalog.h"

namespace planelab::catalog {

class Database;
class Query;

// Steps a query to the end and returns its rows with the column names.
Table readTable(Query& q);

// Throw SqliteError on failure (the Catalog turns it into a status).
Table listLevel(Database& db, Level level, const Filters& filters);
Table listIssues(Database& db, std::optional<std::int64_t> run);
Table listRuns(Database& db);

}  // namespace planelab::catalog
