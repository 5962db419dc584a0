// The SQLite driver: one write connection owned by the group-commit writer, a pool of read-only
// connections, WAL with synchronous=FULL so an acknowledged write survives a crash or power loss.
#include <atomic>
#include <sqlite3.h>

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <chrono>
#include <condition_variable>
#include <thread>
#include <mutex>
#include <unordered_map>

#include "storage/drivers.h"
#include "storage/group_commit.h"
#include "storage/migrations.h"

namespace lf {
namespace {

constexpr const char* kAnalyze = "PRAGMA analysis_limit=20000; ANALYZE;";

class SqliteConnection final : public Connection {
 public:
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path, bool read_only) {
    sqlite3* db = nullptr;
    int flags = SQLITE_OPEN_NOMUTEX |
                (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
      std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
      sqlite3_close(db);
      return DbError("open " + path, msg);
    }
    auto conn = std::unique_ptr<SqliteConnection>(new SqliteConnection(db));
    sqlite3_busy_timeout(db, 10000);
    const char* pragmas = read_only ? "PRAGMA query_only=1; PRAGMA cache_size=-16000;"
                                    : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                                      "PRAGMA cache_size=-64000; PRAGMA wal_autocheckpoint=0; "
                                      "PRAGMA temp_store=MEMORY;";
    LF_TRY(conn->ExecScript(pragmas));
    return conn;
  }
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }

  Result<Rows> Query(std::string_view sql, const std::vector<Value>& params) override {
    Rows rows;
    Status st = ForEach(sql, params, [&](const std::vector<std::string>& cols, const Row& row) {
      if (rows.columns.empty()) rows.columns = cols;
      rows.rows.push_back(row);
      return true;
    });
    if (!st.ok()) return st;
    return rows;
  }

  Result<int64_t> Exec(std::string_view sql, const std::vector<Value>& params) override {
    LF_ASSIGN(sqlite3_stmt * stmt, Prepare(sql, params));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (rc != SQLITE_DONE) return Error(sql);
    return int64_t(sqlite3_changes(db_));
  }

  Status ForEach(std::string_view sql, const std::vector<Value>& params,
                 const std::function<bool(const std::vector<std::string>&, const Row&)>& fn)
      override {
    LF_ASSIGN(sqlite3_stmt * stmt, Prepare(sql, params));
    int n = sqlite3_column_count(stmt);
    std::vector<std::string> cols(n);
    for (int i = 0; i < n; ++i) cols[i] = sqlite3_column_name(stmt, i);
    Row row(n);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      for (int i = 0; i < n; ++i) {
        switch (sqlite3_column_type(stmt, i)) {
          case SQLITE_INTEGER: row[i] = int64_t(sqlite3_column_int64(stmt, i)); break;
          case SQLITE_FLOAT: row[i] = sqlite3_column_double(stmt, i); break;
          case SQLITE_NULL: row[i] = nullptr; break;
          default:
            row[i] = std::string(reinterpret_cast<const char*>(sqlite3_column_blob(stmt, i)),
                                 size_t(sqlite3_column_bytes(stmt, i)));
        }
      }
      if (!fn(cols, row)) {
        rc = SQLITE_DONE;
        break;
      }
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (rc != SQLITE_DONE) return Error(sql);
    return Status::Ok();
  }

  Status ExecScript(std::string_view sql) override {
    char* err = nullptr;
    std::string s(sql);
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown";
      sqlite3_free(err);
      return DbError("script", msg);
    }
    return Status::Ok();
  }

  const Dialect& dialect() const override { return dialect_; }
  sqlite3* raw() { return db_; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  Status Error(std::string_view sql) {
    return DbError(std::string(sql.substr(0, 80)), sqlite3_errmsg(db_));
  }

  Result<sqlite3_stmt*> Prepare(std::string_view sql, const std::vector<Value>& params) {
    sqlite3_stmt* stmt;
    auto it = cache_.find(std::string(sql));
    if (it != cache_.end()) {
      stmt = it->second;
    } else {
      if (sqlite3_prepare_v3(db_, sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                             nullptr) != SQLITE_OK)
        return Error(sql);
      if (cache_.size() > 2000) {  // dynamic list queries: keep the cache bounded
        for (auto& [k, s] : cache_) sqlite3_finalize(s);
        cache_.clear();
      }
      cache_.emplace(std::string(sql), stmt);
    }
    if (int(params.size()) != sqlite3_bind_parameter_count(stmt))
      return Status::Internal("parameter count mismatch for: " + std::string(sql.substr(0, 80)));
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = int(i) + 1;
      const Value& v = params[i];
      int rc;
      if (std::holds_alternative<std::nullptr_t>(v)) rc = sqlite3_bind_null(stmt, idx);
      else if (auto* n = std::get_if<int64_t>(&v)) rc = sqlite3_bind_int64(stmt, idx, *n);
      else if (auto* d = std::get_if<double>(&v)) rc = sqlite3_bind_double(stmt, idx, *d);
      else {
        auto& s = std::get<std::string>(v);
        rc = sqlite3_bind_text(stmt, idx, s.data(), int(s.size()), SQLITE_STATIC);
      }
      if (rc != SQLITE_OK) return Error(sql);
    }
    return stmt;
  }

  sqlite3* db_;
  Dialect dialect_{Engine::kSqlite};
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, const DatabaseOptions& opts) : path_(std::move(path)), opts_(opts) {}
  ~SqliteDatabase() override { Close(); }

  Status Init() {
    LF_ASSIGN(auto writer_conn, SqliteConnection::Open(path_, false));
    // Migrate on the writer connection before the writer thread owns it.
    LF_TRY(ApplyCoreMigrations(*writer_conn, "BEGIN IMMEDIATE"));
    // Commits write the WAL without syncing (synchronous=NORMAL); the barrier fdatasyncs the WAL
    // before any write of the batch is acknowledged — the durability of synchronous=FULL, with the
    // sync of one batch overlapping the execution of the next.
    writer_ = std::make_unique<GroupCommitWriter>(
        std::move(writer_conn), "BEGIN IMMEDIATE", opts_.max_batch, [this] { return SyncWal(); });
    // Checkpoints run here, beside the writer, instead of inside a committing write.
    LF_ASSIGN(checkpointer_conn_, SqliteConnection::Open(path_, false));
    // Planner statistics: refreshed at start and hourly (bounded work per table), so list queries
    // pick the selective index as tables grow. The sample must span several values of a column
    // behind tenant_id (an owner has thousands of leads): with 1,000 rows every column looked
    // equally selective and a salesperson's list walked the color index (~50 ms on 1M leads
    // instead of ~1 ms). 20,000 rows per index take ~50 ms on 1M leads. A connection reads the
    // statistics when it opens, so this runs before the read pool opens, and read connections
    // are reopened after each refresh (Read checks stats_generation_).
    (void)checkpointer_conn_->ExecScript(kAnalyze);
    for (int i = 0; i < opts_.read_connections; ++i) {
      LF_ASSIGN(auto rc, SqliteConnection::Open(path_, true));
      idle_.push_back({std::move(rc), 0});
    }
    checkpointer_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "lf-checkpoint");
      std::unique_lock lock(mu_);
      int ticks = 0;
      while (!closing_) {
        cv_closing_.wait_for(lock, std::chrono::milliseconds(200));
        if (closing_) break;
        lock.unlock();
        (void)checkpointer_conn_->ExecScript("PRAGMA wal_checkpoint(PASSIVE)");
        if (++ticks % 18000 == 0 && checkpointer_conn_->ExecScript("ANALYZE;").ok()) ++stats_generation_;
        lock.lock();
      }
    });
    return Status::Ok();
  }

  Status Write(std::function<Status(Tx&)> fn) override { return writer_->Submit(std::move(fn)); }
  void WriteAsync(std::function<Status(Tx&)> fn, std::function<void(Status)> done) override {
    writer_->SubmitAsync(std::move(fn), std::move(done));
  }

  Status Read(const std::function<Status(Connection&)>& fn) override {
    Pooled pooled;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return !idle_.empty(); });
      pooled = std::move(idle_.back());
      idle_.pop_back();
    }
    if (uint64_t gen = stats_generation_.load(); pooled.stats_generation != gen) {
      // Fresh planner statistics and no statements planned with the old ones.
      if (auto fresh = SqliteConnection::Open(path_, true); fresh.ok()) pooled = {std::move(fresh).value(), gen};
    }
    auto& conn = pooled.conn;
    Status st = conn->Exec("BEGIN", {}).status();
    if (st.ok()) {
      try {
        st = fn(*conn);
      } catch (const std::exception& e) {
        st = Status::Internal(std::string("read failed: ") + e.what());
      }
      (void)conn->Exec("COMMIT", {});
    }
    {
      std::lock_guard lock(mu_);
      idle_.push_back(std::move(pooled));
    }
    cv_.notify_one();
    return st;
  }

  const Dialect& dialect() const override { return dialect_; }
  WriterStats writer_stats() const override { return writer_->stats(); }
  Status Migrate() override { return Status::Ok(); }  // done in Init()

  // Makes every committed WAL frame durable. Runs on the writer's sync thread only.
  Status SyncWal() {
    if (wal_fd_ < 0) {
      wal_fd_ = ::open((path_ + "-wal").c_str(), O_RDONLY | O_CLOEXEC);
      if (wal_fd_ < 0) return DbError("open WAL", std::strerror(errno));
    }
    if (::fdatasync(wal_fd_) != 0) return DbError("fdatasync WAL", std::strerror(errno));
    return Status::Ok();
  }

  Result<std::string> IntegrityCheck() override {
    std::string out;
    Status st = Read([&](Connection& c) -> Status {
      LF_ASSIGN(auto rows, c.Query("PRAGMA integrity_check"));
      for (auto& r : rows.rows) out += AsText(r[0]);
      return Status::Ok();
    });
    if (!st.ok()) return st;
    return out;
  }

  void Close() override {
    if (writer_) writer_->Stop();
    if (wal_fd_ >= 0) {
      ::close(wal_fd_);
      wal_fd_ = -1;
    }
    {
      std::lock_guard lock(mu_);
      closing_ = true;
    }
    cv_closing_.notify_all();
    if (checkpointer_.joinable()) checkpointer_.join();
    if (checkpointer_conn_) {
      (void)checkpointer_conn_->ExecScript("PRAGMA wal_checkpoint(TRUNCATE)");
      checkpointer_conn_.reset();
    }
  }

 private:
  const std::string path_;
  const DatabaseOptions opts_;
  Dialect dialect_{Engine::kSqlite};
  std::unique_ptr<GroupCommitWriter> writer_;
  std::mutex mu_;  // guards idle_, closing_
  std::condition_variable cv_;
  // A read connection and the statistics generation it loaded when it opened.
  struct Pooled {
    std::unique_ptr<SqliteConnection> conn;
    uint64_t stats_generation = 0;
  };
  std::vector<Pooled> idle_;
  std::atomic<uint64_t> stats_generation_{0};  // bumped by each hourly ANALYZE
  bool closing_ = false;
  int wal_fd_ = -1;  // the WAL file, for the durability barrier (sync thread only)
  std::condition_variable cv_closing_;
  std::unique_ptr<SqliteConnection> checkpointer_conn_;  // used only by checkpointer_
  std::thread checkpointer_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, const DatabaseOptions& opts) {
  auto db = std::make_unique<SqliteDatabase>(path, opts);
  LF_TRY(db->Init());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace lf
