// The PostgreSQL driver on libpq: a dedicated writer connection behind the group-commit writer and a
// pool of connections for reads. Statements are prepared once per connection; parameters are sent
// as text with unspecified types so PostgreSQL infers them from the column they meet.
#include <libpq-fe.h>

#include <condition_variable>
#include <mutex>
#include <unordered_map>

#include "storage/drivers.h"
#include "storage/group_commit.h"
#include "storage/migrations.h"

namespace lf {
namespace {

// '?' → '$n' outside quoted strings and identifiers.
std::string RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
      out.push_back(c);
    } else if (c == '\'' || c == '"') {
      quote = c;
      out.push_back(c);
    } else if (c == '?') {
      out += "$" + std::to_string(++n);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

class PgConnection final : public Connection {
 public:
  static Result<std::unique_ptr<PgConnection>> Open(const std::string& url) {
    PGconn* c = PQconnectdb(url.c_str());
    if (PQstatus(c) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(c);
      PQfinish(c);
      return DbError("connect", msg);
    }
    auto conn = std::unique_ptr<PgConnection>(new PgConnection(c));
    LF_TRY(conn->ExecScript("SET client_min_messages = warning; SET TIME ZONE 'UTC'"));
    return conn;
  }
  ~PgConnection() override { PQfinish(conn_); }

  Result<Rows> Query(std::string_view sql, const std::vector<Value>& params) override {
    LF_ASSIGN(PGresult * res, Run(sql, params));
    Rows rows;
    int nf = PQnfields(res), nt = PQntuples(res);
    rows.columns.resize(nf);
    std::vector<Oid> types(nf);
    for (int i = 0; i < nf; ++i) {
      rows.columns[i] = PQfname(res, i);
      types[i] = PQftype(res, i);
    }
    rows.rows.reserve(nt);
    for (int r = 0; r < nt; ++r) {
      Row row(nf);
      for (int i = 0; i < nf; ++i) {
        if (PQgetisnull(res, r, i)) {
          row[i] = nullptr;
          continue;
        }
        const char* v = PQgetvalue(res, r, i);
        switch (types[i]) {
          case 20: case 21: case 23: row[i] = int64_t(std::strtoll(v, nullptr, 10)); break;
          case 16: row[i] = int64_t(v[0] == 't' ? 1 : 0); break;
          case 700: case 701: case 1700: row[i] = std::strtod(v, nullptr); break;
          default: row[i] = std::string(v, size_t(PQgetlength(res, r, i)));
        }
      }
      rows.rows.push_back(std::move(row));
    }
    PQclear(res);
    return rows;
  }

  Result<int64_t> Exec(std::string_view sql, const std::vector<Value>& params) override {
    LF_ASSIGN(PGresult * res, Run(sql, params));
    const char* n = PQcmdTuples(res);
    int64_t changed = (n && *n) ? std::strtoll(n, nullptr, 10) : 0;
    PQclear(res);
    return changed;
  }

  Status ForEach(std::string_view sql, const std::vector<Value>& params,
                 const std::function<bool(const std::vector<std::string>&, const Row&)>& fn)
      override {
    LF_ASSIGN(auto rows, Query(sql, params));
    for (auto& r : rows.rows)
      if (!fn(rows.columns, r)) break;
    return Status::Ok();
  }

  Status ExecScript(std::string_view sql) override {
    PGresult* res = PQexec(conn_, std::string(sql).c_str());
    auto st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      std::string msg = PQresultErrorMessage(res);
      PQclear(res);
      CheckConnection();
      return DbError("script", msg);
    }
    PQclear(res);
    return Status::Ok();
  }

  const Dialect& dialect() const override { return dialect_; }

 private:
  explicit PgConnection(PGconn* c) : conn_(c) {}

  void CheckConnection() {
    if (PQstatus(conn_) == CONNECTION_BAD) {
      PQreset(conn_);
      prepared_.clear();
    }
  }

  Result<PGresult*> Run(std::string_view sql, const std::vector<Value>& params) {
    std::string key(sql);
    auto it = prepared_.find(key);
    if (it == prepared_.end()) {
      std::string name = "s" + std::to_string(prepared_.size() + 1);
      if (prepared_.size() > 2000) {  // keep the per-connection cache bounded
        PQclear(PQexec(conn_, "DEALLOCATE ALL"));
        prepared_.clear();
        name = "s1";
      }
      std::string rewritten = RewritePlaceholders(sql);
      PGresult* res = PQprepare(conn_, name.c_str(), rewritten.c_str(), int(params.size()), nullptr);
      if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        std::string msg = PQresultErrorMessage(res);
        PQclear(res);
        CheckConnection();
        return DbError(std::string(sql.substr(0, 80)), msg);
      }
      PQclear(res);
      it = prepared_.emplace(key, name).first;
    }
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      if (IsNull(params[i])) {
        values[i] = nullptr;
      } else {
        text[i] = AsText(params[i]);
        values[i] = text[i].c_str();
      }
    }
    PGresult* res = PQexecPrepared(conn_, it->second.c_str(), int(params.size()), values.data(),
                                   nullptr, nullptr, 0);
    auto st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      std::string msg = PQresultErrorMessage(res);
      const char* sqlstate = PQresultErrorField(res, PG_DIAG_SQLSTATE);
      std::string state = sqlstate ? sqlstate : "";
      PQclear(res);
      CheckConnection();
      if (state == "23505")
        return Status::Error(ErrorKind::kConflict, "db.unique_violation", msg, "数据重复: " + msg);
      if (state == "40001" || state == "40P01")
        return Status::Error(ErrorKind::kUnavailable, "db.busy", msg, "数据库繁忙,请稍后重试");
      return DbError(std::string(sql.substr(0, 80)), msg);
    }
    return res;
  }

  PGconn* conn_;
  Dialect dialect_{Engine::kPostgres};
  std::unordered_map<std::string, std::string> prepared_;
};

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string url, const DatabaseOptions& opts) : url_(std::move(url)), opts_(opts) {}
  ~PgDatabase() override { Close(); }

  Status Init() {
    LF_ASSIGN(auto writer_conn, PgConnection::Open(url_));
    // Serialise migrations across instances starting together.
    LF_TRY(writer_conn->ExecScript("SELECT pg_advisory_lock(7405000)"));
    Status st = ApplyCoreMigrations(*writer_conn, "BEGIN");
    (void)writer_conn->ExecScript("SELECT pg_advisory_unlock(7405000)");
    LF_TRY(st);
    writer_ = std::make_unique<GroupCommitWriter>(std::move(writer_conn), "BEGIN", opts_.max_batch);
    for (int i = 0; i < opts_.read_connections; ++i) {
      LF_ASSIGN(auto rc, PgConnection::Open(url_));
      idle_.push_back(std::move(rc));
    }
    return Status::Ok();
  }

  Status Write(std::function<Status(Tx&)> fn) override { return writer_->Submit(std::move(fn)); }
  void WriteAsync(std::function<Status(Tx&)> fn, std::function<void(Status)> done) override {
    writer_->SubmitAsync(std::move(fn), std::move(done));
  }

  Status Read(const std::function<Status(Connection&)>& fn) override {
    std::unique_ptr<PgConnection> conn;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return !idle_.empty(); });
      conn = std::move(idle_.back());
      idle_.pop_back();
    }
    Status st = conn->ExecScript("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (st.ok()) {
      try {
        st = fn(*conn);
      } catch (const std::exception& e) {
        st = Status::Internal(std::string("read failed: ") + e.what());
      }
      (void)conn->ExecScript(st.ok() ? "COMMIT" : "ROLLBACK");
    }
    {
      std::lock_guard lock(mu_);
      idle_.push_back(std::move(conn));
    }
    cv_.notify_one();
    return st;
  }

  const Dialect& dialect() const override { return dialect_; }
  WriterStats writer_stats() const override { return writer_->stats(); }
  Status Migrate() override { return Status::Ok(); }  // done in Init()
  Result<std::string> IntegrityCheck() override { return std::string("ok"); }
  void Close() override {
    if (writer_) writer_->Stop();
  }

 private:
  const std::string url_;
  const DatabaseOptions opts_;
  Dialect dialect_{Engine::kPostgres};
  std::unique_ptr<GroupCommitWriter> writer_;
  std::mutex mu_;  // guards idle_
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, const DatabaseOptions& opts) {
  auto db = std::make_unique<PgDatabase>(url, opts);
  LF_TRY(db->Init());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace lf
