#include "catalog/sqlite_db.h"

#include <sqlite3.h>

namespace planelab::catalog {

SqliteError::SqliteError(int code, const std::string& message)
    : std::runtime_error(message), code_(code) {}

Status toStatus(const SqliteError& error, const std::string& fallback_key) {
  switch (error.primaryCode()) {
    case SQLITE_FULL:
      return {"disk_full", error.what()};
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {"catalog_busy", error.what()};
    default:
      return {fallback_key, error.what()};
  }
}

namespace {

[[noreturn]] void fail(sqlite3* db, int rc) {
  throw SqliteError(rc, db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    throw SqliteError(rc, std::string(sqlite3_errmsg(db)) + " in: " + std::string(sql));
  }
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Query::Query(Statement& statement) : statement_(statement) {
  if (statement_.in_use_) {
    throw SqliteError(SQLITE_MISUSE, "a cached statement is used twice at the same time");
  }
  statement_.in_use_ = true;
}

Query::~Query() {
  sqlite3_reset(statement_.stmt_);
  sqlite3_clear_bindings(statement_.stmt_);
  statement_.in_use_ = false;
}

void Query::check(int rc) const {
  if (rc != SQLITE_OK) fail(statement_.db_, rc);
}

Query& Query::bind(int index, std::int64_t value) {
  check(sqlite3_bind_int64(statement_.stmt_, index, value));
  return *this;
}

Query& Query::bind(int index, double value) {
  check(sqlite3_bind_double(statement_.stmt_, index, value));
  return *this;
}

Query& Query::bind(int index, std::string_view text) {
  // A non-null pointer even for '' so the value is an empty text, not NULL.
  check(sqlite3_bind_text64(statement_.stmt_, index, text.empty() ? "" : text.data(), text.size(),
                            SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Query& Query::bindNull(int index) {
  check(sqlite3_bind_null(statement_.stmt_, index));
  return *this;
}

Query& Query::bindOptional(int index, const std::optional<int>& value) {
  return value ? bind(index, *value) : bindNull(index);
}

Query& Query::bindOptional(int index, const std::optional<double>& value) {
  return value ? bind(index, *value) : bindNull(index);
}

Query& Query::bindTextOrNull(int index, std::string_view text) {
  return text.empty() ? bindNull(index) : bind(index, text);
}

bool Query::step() {
  const int rc = sqlite3_step(statement_.stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(statement_.db_, rc);
}

void Query::run() {
  while (step()) {
  }
}

bool Query::isNull(int column) const {
  return sqlite3_column_type(statement_.stmt_, column) == SQLITE_NULL;
}

std::int64_t Query::int64At(int column) const {
  return sqlite3_column_int64(statement_.stmt_, column);
}

double Query::doubleAt(int column) const {
  return sqlite3_column_double(statement_.stmt_, column);
}

std::string Query::textAt(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_.stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(statement_.stmt_, column)));
}

Value Query::valueAt(int column) const {
  switch (sqlite3_column_type(statement_.stmt_, column)) {
    case SQLITE_INTEGER:
      return int64At(column);
    case SQLITE_FLOAT:
      return doubleAt(column);
    case SQLITE_TEXT:
    case SQLITE_BLOB:
      return textAt(column);
    default:
      return std::monostate{};
  }
}

int Query::columnCount() const {
  return sqlite3_column_count(statement_.stmt_);
}

std::string Query::columnName(int column) const {
  const char* name = sqlite3_column_name(statement_.stmt_, column);
  return name != nullptr ? name : "";
}

Database::Database(const std::filesystem::path& file, int flags) {
  const int rc = sqlite3_open_v2(file.string().c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw SqliteError(rc, message);
  }
  sqlite3_extended_result_codes(db_, 1);
}

Database::~Database() {
  statements_.clear();  // finalize before closing, or sqlite3_close refuses
  sqlite3_close(db_);
}

void Database::exec(std::string_view sql) {
  const std::string text(sql);
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    const std::string message = error != nullptr ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw SqliteError(rc, message);
  }
}

Query Database::query(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    it = statements_.emplace(std::string(sql), std::make_unique<Statement>(db_, sql)).first;
  }
  return Query(*it->second);
}

std::int64_t Database::scalar(std::string_view sql) {
  Query q = query(sql);
  return q.step() ? q.int64At(0) : 0;
}

std::int64_t Database::lastInsertRowId() const {
  return sqlite3_last_insert_rowid(db_);
}

int Database::changes() const {
  return sqlite3_changes(db_);
}

Transaction::Transaction(Database& db) : db_(db) {
  db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (open_) {
    // Nothing to report from a destructor: a failed rollback leaves SQLite to roll back when the
    // connection closes.
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

}  // namespace planelab::catalog
