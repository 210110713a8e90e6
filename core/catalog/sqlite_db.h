// A thin RAII layer over the sqlite3 C API for the catalog's own use: a connection that caches its
// prepared statements, one-use bindings of those statements, and transactions. Failures are thrown
// as SqliteError inside the library and turned into a Status at the Catalog API (never thrown
// across it).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "catalog/catalog.h"

struct sqlite3;
struct sqlite3_stmt;

namespace planelab::catalog {

class SqliteError : public std::runtime_error {
 public:
  // code: an SQLite result code (extended codes allowed).
  SqliteError(int code, const std::string& message);
  int primaryCode() const { return code_ & 0xff; }

 private:
  int code_;
};

// The catalog's error key for an SQLite failure: "disk_full", "catalog_busy", or fallback_key
// (e.g. "write_failed"), with SQLite's message.
Status toStatus(const SqliteError& error, const std::string& fallback_key);

// A prepared statement, owned by a Database's cache and reused (reset, not re-prepared).
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

 private:
  friend class Query;
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool in_use_ = false;
};

// One use of a cached statement: bind (1-based, like sqlite3_bind_*), step, read columns
// (0-based). Resets the statement and clears its bindings when it goes out of scope, so no read
// transaction stays open behind an unfinished SELECT.
class Query {
 public:
  explicit Query(Statement& statement);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& bind(int index, std::int64_t value);
  Query& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Query& bind(int index, double value);
  Query& bind(int index, std::string_view text);  // copied; an empty string stays ''
  Query& bindNull(int index);
  // NULL for nullopt / an empty string: how the schema stores attributes absent from a file.
  Query& bindOptional(int index, const std::optional<int>& value);
  Query& bindOptional(int index, const std::optional<double>& value);
  Query& bindTextOrNull(int index, std::string_view text);

  // Steps once: true when a row is ready, false when the statement is done.
  bool step();
  // Steps a statement that returns no rows.
  void run();

  bool isNull(int column) const;
  std::int64_t int64At(int column) const;
  double doubleAt(int column) const;
  std::string textAt(int column) const;  // '' for NULL
  Value valueAt(int column) const;
  int columnCount() const;
  std::string columnName(int column) const;

 private:
  void check(int rc) const;
  Statement& statement_;
};

class Database {
 public:
  // flags: sqlite3_open_v2 flags. Throws SqliteError when the file cannot be opened.
  Database(const std::filesystem::path& file, int flags);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements without results (schema scripts, pragmas).
  void exec(std::string_view sql);
  // The cached prepared statement for sql (prepared on first use).
  Query query(std::string_view sql);
  // A single value of a one-row query (e.g. PRAGMA user_version).
  std::int64_t scalar(std::string_view sql);

  std::int64_t lastInsertRowId() const;
  int changes() const;
  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::map<std::string, std::unique_ptr<Statement>, std::less<>> statements_;
};

// BEGIN IMMEDIATE (take the write lock up front, so a busy catalog fails at the start, not
// half-way) ... commit(); rolls back when destroyed uncommitted.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool open_ = true;
};

}  // namespace planelab::catalog
