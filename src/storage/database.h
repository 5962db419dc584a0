// storage/: the database seam. A small interface over two drivers written on the sqlite3 C API and
// libpq (DESIGN.md §2). SQL is written once with '?' placeholders; the PostgreSQL driver rewrites
// them to $n. Everything dialect-specific goes through Dialect. Depends on base/ only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/status.h"

namespace lf {

// A bound parameter or a result cell. Booleans are stored as 0/1 integers on both engines.
using Value = std::variant<std::nullptr_t, int64_t, double, std::string>;

inline bool IsNull(const Value& v) { return std::holds_alternative<std::nullptr_t>(v); }
int64_t AsInt(const Value& v);             // NULL → 0; text is parsed
double AsDouble(const Value& v);           // NULL → 0
std::string AsText(const Value& v);        // NULL → ""

using Row = std::vector<Value>;
struct Rows {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  bool empty() const { return rows.empty(); }
};

enum class Engine { kSqlite, kPostgres };

// Dialect answers the few questions where SQLite and PostgreSQL differ.
class Dialect {
 public:
  explicit Dialect(Engine e) : engine_(e) {}
  Engine engine() const { return engine_; }
  // An SQL expression reading key `key` (already validated as an identifier) of JSON column `col`
  // as text / as a number / as an integer (PostgreSQL casts, SQLite relies on json_extract types).
  std::string JsonText(std::string_view col, std::string_view key) const;
  std::string JsonNumber(std::string_view col, std::string_view key) const;
  std::string JsonInt(std::string_view col, std::string_view key) const;
  // "col contains element v" for a JSON array column: takes one '?' parameter (the element).
  std::string JsonArrayContains(std::string_view col) const;
  // A condition the planner should expect to hold for few rows (SQLite has no NULL statistics;
  // PostgreSQL's planner knows the null fraction and gets the condition as is).
  std::string Rare(const std::string& condition) const {
    return engine_ == Engine::kSqlite ? "likelihood(" + condition + ", 0.001)" : condition;
  }
  // Case-insensitive LIKE operator.
  const char* ILike() const { return engine_ == Engine::kPostgres ? "ILIKE" : "LIKE"; }
  // Parameter placeholder that PostgreSQL must read as JSON.
  const char* JsonParam() const { return engine_ == Engine::kPostgres ? "?::jsonb" : "?"; }

 private:
  Engine engine_;
};

// One connection. Not thread-safe: used by one thread at a time (the pool hands it out).
class Connection {
 public:
  virtual ~Connection() = default;
  // Runs one statement and returns all rows. Statements are prepared once and cached.
  virtual Result<Rows> Query(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Runs one statement and returns the number of rows changed.
  virtual Result<int64_t> Exec(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Runs one statement and calls `row_fn` per row without materialising the result. `row_fn`
  // returns false to stop early.
  virtual Status ForEach(std::string_view sql, const std::vector<Value>& params,
                         const std::function<bool(const std::vector<std::string>& columns,
                                                  const Row& row)>& row_fn) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual Status ExecScript(std::string_view sql) = 0;
  virtual const Dialect& dialect() const = 0;
};

// A write transaction handed to a write function. Effects registered with OnCommit run after the
// whole batch is durably committed (e.g. publishing events to live streams), never on rollback.
class Tx {
 public:
  Tx(Connection& conn, std::vector<std::function<void()>>* on_commit)
      : conn_(conn), on_commit_(on_commit) {}
  Result<Rows> Query(std::string_view sql, const std::vector<Value>& params = {}) {
    return conn_.Query(sql, params);
  }
  Result<int64_t> Exec(std::string_view sql, const std::vector<Value>& params = {}) {
    return conn_.Exec(sql, params);
  }
  Connection& conn() { return conn_; }
  const Dialect& dialect() const { return conn_.dialect(); }
  void OnCommit(std::function<void()> fn) { on_commit_->push_back(std::move(fn)); }

 private:
  Connection& conn_;
  std::vector<std::function<void()>>* on_commit_;
};

struct DatabaseOptions {
  int read_connections = 8;   // SQLite read-only connections / PostgreSQL pooled connections
  int max_batch = 512;        // group commit: most writes in one transaction
};

struct WriterStats {
  uint64_t transactions = 0;  // committed batches
  uint64_t writes = 0;        // write functions run
  uint64_t slow_batches = 0;  // batches re-run with per-write savepoints after a failure
};

// A database: one group-commit writer plus a pool of read connections. Thread-safe.
class Database {
 public:
  virtual ~Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Opens "sqlite:PATH" (or a bare path) or "postgresql://..." / "postgres://...".
  static Result<std::unique_ptr<Database>> Open(const std::string& url,
                                                const DatabaseOptions& options = {});

  // Runs `fn` inside a write transaction, batched with other concurrent writes (group commit).
  // Returns after the batch is durable; a non-OK return from `fn` rolls back only that write and is
  // returned here. `fn` may run more than once (see GroupCommitWriter): it must change only the
  // database and its own captures, and register outside effects with Tx::OnCommit.
  virtual Status Write(std::function<Status(Tx&)> fn) = 0;
  // Non-blocking Write: `done` gets the Status once the batch is durable (on a database thread;
  // it must be quick, e.g. hand the result to another executor).
  virtual void WriteAsync(std::function<Status(Tx&)> fn, std::function<void(Status)> done) = 0;
  // Runs `fn` on a pooled read connection (a consistent snapshot for the duration of `fn`).
  virtual Status Read(const std::function<Status(Connection&)>& fn) = 0;
  virtual const Dialect& dialect() const = 0;
  virtual WriterStats writer_stats() const = 0;
  // Applies pending schema migrations (idempotent).
  virtual Status Migrate() = 0;
  // Engine-specific integrity check ("ok" on success).
  virtual Result<std::string> IntegrityCheck() = 0;
  // Stops the writer after finishing queued writes.
  virtual void Close() = 0;

  // Typed convenience: runs a write that produces a value.
  template <class T>
  Result<T> WriteResult(const std::function<Result<T>(Tx&)>& fn) {
    std::optional<T> out;
    Status st = Write([&](Tx& tx) -> Status {
      auto r = fn(tx);
      if (!r.ok()) return r.status();
      out = std::move(r).value();
      return Status::Ok();
    });
    if (!st.ok()) return st;
    return std::move(*out);
  }

 protected:
  Database() = default;
};

// Maps a database failure to a Status; `busy` errors become kUnavailable.
Status DbError(std::string_view what, std::string_view message);

}  // namespace lf
