// Implements storage/migrations.h. Each migration is one SQL script with {JSON} standing for the
// engine's JSON column type; a migration never changes once released — add a new one instead.
#include "storage/migrations.h"

#include <vector>

namespace lf {
namespace {

struct Migration {
  int version;
  const char* sql;
};

const std::vector<Migration>& CoreMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1, R"SQL(
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  time_zone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
  schema_version BIGINT NOT NULL DEFAULT 1,
  chain_seq BIGINT NOT NULL DEFAULT 0,
  chain_hash TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE TABLE departments (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, parent_id TEXT,
  path TEXT NOT NULL, created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE TABLE roles (
  tenant_id TEXT NOT NULL, name TEXT NOT NULL, label_zh TEXT NOT NULL, label_en TEXT NOT NULL,
  permissions {JSON} NOT NULL,
  PRIMARY KEY (tenant_id, name)
);
CREATE TABLE users (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, email TEXT NOT NULL, name TEXT NOT NULL,
  password_hash TEXT NOT NULL, role TEXT NOT NULL, department_id TEXT, manager_id TEXT,
  phone TEXT, status TEXT NOT NULL DEFAULT 'active', created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX users_email ON users (email);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, user_id TEXT NOT NULL,
  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, revoked_at BIGINT
);
CREATE INDEX sessions_user ON sessions (tenant_id, user_id);
CREATE TABLE custom_fields (
  tenant_id TEXT NOT NULL, entity TEXT NOT NULL, name TEXT NOT NULL, label_zh TEXT NOT NULL,
  label_en TEXT NOT NULL, type TEXT NOT NULL, required INTEGER NOT NULL DEFAULT 0,
  options {JSON}, ref_entity TEXT, position INTEGER NOT NULL, created_at BIGINT NOT NULL,
  created_by TEXT,
  PRIMARY KEY (tenant_id, entity, name)
);
CREATE TABLE events (
  tenant_id TEXT NOT NULL, seq BIGINT NOT NULL, at BIGINT NOT NULL, actor_id TEXT,
  type TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL, data TEXT NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX events_entity ON events (tenant_id, entity, entity_id, seq);
CREATE TABLE consumer_checkpoints (
  tenant_id TEXT NOT NULL, consumer TEXT NOT NULL, seq BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, consumer)
);
CREATE TABLE jobs (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, run_at BIGINT NOT NULL,
  payload {JSON} NOT NULL, state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
  locked_by TEXT, locked_until BIGINT, last_error TEXT, created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX jobs_due ON jobs (state, run_at);
CREATE TABLE idempotency_keys (
  tenant_id TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, status INTEGER NOT NULL,
  body TEXT NOT NULL, created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, key)
);
)SQL"},
      {2, R"SQL(
CREATE TABLE tenant_settings (
  tenant_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, key)
);
CREATE TABLE intake_sources (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, channel TEXT NOT NULL,
  first_touch TEXT, key_hash TEXT NOT NULL, key_hint TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1, created_at BIGINT NOT NULL, created_by TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX intake_sources_id ON intake_sources (id);
)SQL"},
      {3, R"SQL(
CREATE TABLE cleaning_runs (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, criteria TEXT NOT NULL, cutoff BIGINT NOT NULL,
  archived INTEGER NOT NULL, created_at BIGINT NOT NULL, created_by TEXT NOT NULL,
  undone_at BIGINT, undone_by TEXT, restored INTEGER,
  PRIMARY KEY (tenant_id, id)
);
CREATE TABLE cleaning_run_items (
  tenant_id TEXT NOT NULL, run_id TEXT NOT NULL, lead_id TEXT NOT NULL,
  PRIMARY KEY (tenant_id, run_id, lead_id)
);
)SQL"},
      {4, R"SQL(
CREATE TABLE assignment_rules (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, position INTEGER NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1, conditions TEXT NOT NULL, strategy TEXT NOT NULL,
  members TEXT NOT NULL, cap INTEGER, state TEXT NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, created_by TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
ALTER TABLE users ADD COLUMN availability TEXT NOT NULL DEFAULT 'available';
)SQL"},
      {5, R"SQL(
CREATE TABLE pools (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, description TEXT,
  is_default INTEGER NOT NULL DEFAULT 0, rules TEXT NOT NULL, enabled INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE TABLE pool_claims (
  tenant_id TEXT NOT NULL, pool_id TEXT NOT NULL, lead_id TEXT NOT NULL, user_id TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX pool_claims_by_user ON pool_claims (tenant_id, user_id, at);
)SQL"},
      {6, R"SQL(
CREATE TABLE field_options (
  tenant_id TEXT NOT NULL, entity TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,
  label_zh TEXT NOT NULL, label_en TEXT NOT NULL, position INTEGER NOT NULL, created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, entity, field, value)
);
)SQL"},
      {7, R"SQL(
CREATE TABLE import_files (
  tenant_id TEXT NOT NULL, import_id TEXT NOT NULL, content TEXT NOT NULL,
  PRIMARY KEY (tenant_id, import_id)
);
CREATE TABLE imports (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, entity TEXT NOT NULL, filename TEXT NOT NULL,
  encoding TEXT NOT NULL, columns TEXT NOT NULL, row_count INTEGER NOT NULL,
  mapping TEXT, time_zone TEXT, status TEXT NOT NULL, next_row INTEGER NOT NULL DEFAULT 0,
  imported INTEGER NOT NULL DEFAULT 0, duplicates INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, created_by TEXT NOT NULL,
  started_at BIGINT, finished_at BIGINT,
  PRIMARY KEY (tenant_id, id)
);
CREATE TABLE import_errors (
  tenant_id TEXT NOT NULL, import_id TEXT NOT NULL, row_no INTEGER NOT NULL, column_name TEXT,
  field TEXT, code TEXT NOT NULL, detail_zh TEXT NOT NULL, detail_en TEXT NOT NULL
);
CREATE INDEX import_errors_by_import ON import_errors (tenant_id, import_id, row_no);
)SQL"},
      {8, R"SQL(
ALTER TABLE tenants ADD COLUMN policy_version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE roles ADD COLUMN entity_access {JSON};
ALTER TABLE departments ADD COLUMN head_user_id TEXT;
CREATE TABLE access_rules (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, entity TEXT NOT NULL,
  match {JSON} NOT NULL, allow {JSON} NOT NULL, enabled INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, created_by TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE TABLE grants (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, entity TEXT NOT NULL, record_id TEXT NOT NULL,
  grantee_id TEXT NOT NULL, mode TEXT NOT NULL, relations {JSON} NOT NULL, reason TEXT,
  expires_at BIGINT NOT NULL, revoked_at BIGINT, granted_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX grants_by_grantee ON grants (tenant_id, grantee_id, expires_at);
CREATE TABLE sensitive_fields (
  tenant_id TEXT NOT NULL, entity TEXT NOT NULL, field TEXT NOT NULL, created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, entity, field)
);
CREATE TABLE access_requests (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, requester_id TEXT NOT NULL, entity TEXT NOT NULL,
  record_id TEXT NOT NULL, fields {JSON} NOT NULL, purpose TEXT NOT NULL, purpose_text TEXT,
  approver_id TEXT NOT NULL, duration_hours INTEGER NOT NULL, status TEXT NOT NULL,
  decided_at BIGINT, decision_note TEXT, expires_at BIGINT, created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX access_requests_by_requester ON access_requests (tenant_id, requester_id, status);
CREATE INDEX access_requests_by_approver ON access_requests (tenant_id, approver_id, status);
CREATE TABLE unmasked_reads (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, user_id TEXT NOT NULL, entity TEXT NOT NULL,
  record_ids {JSON} NOT NULL, fields {JSON} NOT NULL, basis TEXT NOT NULL, at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX unmasked_reads_by_user ON unmasked_reads (tenant_id, user_id, at);
)SQL"},
      {9, R"SQL(
ALTER TABLE tenants ADD COLUMN rules_version BIGINT NOT NULL DEFAULT 0;
CREATE TABLE rules (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, enabled INTEGER NOT NULL DEFAULT 1,
  trigger_kind TEXT NOT NULL, trigger_event TEXT, entity TEXT NOT NULL, definition {JSON} NOT NULL,
  template_id TEXT, version BIGINT NOT NULL DEFAULT 1, since_seq BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL, created_by TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE TABLE rule_firings (
  tenant_id TEXT NOT NULL, rule_id TEXT NOT NULL, event_seq BIGINT NOT NULL, action_index INTEGER NOT NULL,
  entity TEXT NOT NULL, record_id TEXT NOT NULL, action {JSON} NOT NULL, status TEXT NOT NULL,
  result {JSON} NOT NULL, at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, rule_id, event_seq, record_id, action_index)
);
CREATE INDEX rule_firings_by_record ON rule_firings (tenant_id, entity, record_id, at);
CREATE TABLE alerts (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, severity TEXT NOT NULL,
  title TEXT NOT NULL, entity TEXT, record_id TEXT, rule_id TEXT, owner_id TEXT, supervisor_id TEXT,
  state TEXT NOT NULL, created_at BIGINT NOT NULL, acknowledged_at BIGINT, acknowledged_by TEXT,
  resolved_at BIGINT, resolved_by TEXT,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX alerts_by_state ON alerts (tenant_id, state, created_at);
CREATE TABLE rule_timers (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, rule_id TEXT NOT NULL, event_seq BIGINT NOT NULL,
  entity TEXT NOT NULL, record_id TEXT NOT NULL, due_at BIGINT NOT NULL, state TEXT NOT NULL,
  fired_at BIGINT, created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX rule_timers_due ON rule_timers (state, due_at);
CREATE TABLE rule_cron_slots (
  tenant_id TEXT NOT NULL, rule_id TEXT NOT NULL, next_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, rule_id)
);
)SQL"},
      {10, R"SQL(
CREATE TABLE notification_channels (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1, is_default INTEGER NOT NULL DEFAULT 0, config {JSON} NOT NULL,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, created_by TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE TABLE deliveries (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, channel_id TEXT NOT NULL, kind TEXT NOT NULL,
  rule_id TEXT, rule_name TEXT, event_seq BIGINT, entity TEXT, record_id TEXT, recipient TEXT NOT NULL,
  title TEXT NOT NULL, payload {JSON} NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL, lease_until BIGINT, claimed_by TEXT, last_error TEXT,
  response_code INTEGER, created_at BIGINT NOT NULL, delivered_at BIGINT, latency_ms BIGINT,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_by_time ON deliveries (tenant_id, created_at);
CREATE TABLE documents (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, mime TEXT NOT NULL,
  size BIGINT NOT NULL, sha256 TEXT NOT NULL, created_at BIGINT NOT NULL, created_by TEXT NOT NULL,
  archived_at BIGINT,
  PRIMARY KEY (tenant_id, id)
);
CREATE TABLE document_contents (
  tenant_id TEXT NOT NULL, document_id TEXT NOT NULL, content_base64 TEXT NOT NULL,
  PRIMARY KEY (tenant_id, document_id)
);
)SQL"},
      {11, R"SQL(
ALTER TABLE documents ADD COLUMN entity TEXT;
ALTER TABLE documents ADD COLUMN record_id TEXT;
CREATE INDEX documents_by_record ON documents (tenant_id, entity, record_id, created_at);
)SQL"},
      {12, R"SQL(
CREATE TABLE saved_views (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, user_id TEXT NOT NULL, entity TEXT NOT NULL,
  name TEXT NOT NULL, query TEXT NOT NULL, shared INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX saved_views_by_user ON saved_views (tenant_id, entity, user_id);
)SQL"},
      {13, R"SQL(
ALTER TABLE intake_sources ADD COLUMN pool_id TEXT;
)SQL"},
      {14, R"SQL(
ALTER TABLE imports ADD COLUMN distribute INTEGER NOT NULL DEFAULT 0;
)SQL"},
  };
  return kMigrations;
}

std::string Substitute(std::string sql, Engine e) {
  const std::string token = "{JSON}";
  for (size_t pos; (pos = sql.find(token)) != std::string::npos;)
    sql.replace(pos, token.size(), SqlJsonType(e));
  return sql;
}

}  // namespace

std::string SqlJsonType(Engine e) { return e == Engine::kPostgres ? "JSONB" : "TEXT"; }

Status ApplyCoreMigrations(Connection& conn, const std::string& begin_sql) {
  Engine e = conn.dialect().engine();
  LF_TRY(conn.ExecScript(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at "
      "BIGINT NOT NULL)"));
  for (const auto& m : CoreMigrations()) {
    LF_ASSIGN(auto begun, conn.Exec(begin_sql));
    (void)begun;
    if (e == Engine::kPostgres) {
      auto locked = conn.Exec("SELECT pg_advisory_xact_lock(7405001)");
      if (!locked.ok()) {
        (void)conn.ExecScript("ROLLBACK");
        return locked.status();
      }
    }
    auto have = conn.Query("SELECT 1 FROM schema_migrations WHERE version = ?",
                           {int64_t(m.version)});
    if (!have.ok()) {
      (void)conn.ExecScript("ROLLBACK");
      return have.status();
    }
    if (!have->empty()) {
      LF_TRY(conn.ExecScript("COMMIT"));
      continue;
    }
    Status st = conn.ExecScript(Substitute(m.sql, e));
    if (st.ok()) {
      auto ins = conn.Exec(
          "INSERT INTO schema_migrations (version, applied_at) VALUES (?, CAST(? AS BIGINT))",
          {int64_t(m.version), int64_t(0)});
      if (!ins.ok()) st = ins.status();
    }
    if (!st.ok()) {
      (void)conn.ExecScript("ROLLBACK");
      return st;
    }
    LF_TRY(conn.ExecScript("COMMIT"));
  }
  return Status::Ok();
}

}  // namespace lf
