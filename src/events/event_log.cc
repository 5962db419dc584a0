// Implements events/event_log.h.
#include "events/event_log.h"

#include "base/crypto.h"

namespace lf {

uint64_t EventBus::Subscribe(const std::string& tenant_id, Callback cb) {
  std::lock_guard lock(mu_);
  uint64_t h = next_++;
  subs_.emplace(h, Sub{tenant_id, std::move(cb)});
  return h;
}

void EventBus::Unsubscribe(uint64_t handle) {
  std::lock_guard lock(mu_);
  subs_.erase(handle);
}

void EventBus::Publish(const Event& e) {
  std::lock_guard lock(mu_);
  for (auto& [h, s] : subs_)
    if (s.tenant_id.empty() || s.tenant_id == e.tenant_id) s.cb(e);
}

size_t EventBus::subscriber_count() const {
  std::lock_guard lock(mu_);
  return subs_.size();
}

std::string EventLog::Hash(const std::string& prev_hash, const Event& e, const std::string& data) {
  std::string buf;
  buf.reserve(prev_hash.size() + data.size() + 160);
  for (const std::string& part :
       {prev_hash, std::to_string(e.seq), std::to_string(e.at), e.actor_id, e.type, e.entity,
        e.entity_id, data}) {
    buf += part;
    buf += '\x1f';
  }
  return Sha256Hex(buf);
}

Result<int64_t> EventLog::Append(Tx& tx, const std::string& tenant_id,
                                 const std::string& actor_id, std::string type, std::string entity,
                                 std::string entity_id, nlohmann::json data,
                                 std::string data_text) {
  Event e;
  e.tenant_id = tenant_id;
  e.at = clock_.NowMs();
  e.actor_id = actor_id;
  e.type = std::move(type);
  e.entity = std::move(entity);
  e.entity_id = std::move(entity_id);
  std::string text = data_text.empty() ? data.dump() : std::move(data_text);
  e.data = std::move(data);

  std::optional<Head> hint;
  {
    std::lock_guard lock(heads_mu_);
    if (auto it = heads_.find(tenant_id); it != heads_.end()) hint = it->second;
  }
  std::string prev, hash;
  bool advanced = false;
  if (hint) {
    // Compare-and-set on the head we expect: one statement, and the row lock on PostgreSQL.
    e.seq = hint->seq + 1;
    prev = hint->hash;
    hash = Hash(prev, e, text);
    LF_ASSIGN(int64_t changed, tx.Exec("UPDATE tenants SET chain_seq = ?, chain_hash = ? WHERE "
                                       "id = ? AND chain_seq = ?",
                                       {e.seq, hash, tenant_id, hint->seq}));
    advanced = changed == 1;
  }
  if (!advanced) {
    // Lock the head row (PostgreSQL) and read the committed head.
    LF_ASSIGN(auto head, tx.Query("UPDATE tenants SET chain_seq = chain_seq WHERE id = ? "
                                  "RETURNING chain_seq, chain_hash",
                                  {tenant_id}));
    if (head.empty()) return Status::NotFound("tenant");
    e.seq = AsInt(head.rows[0][0]) + 1;
    prev = AsText(head.rows[0][1]);
    hash = Hash(prev, e, text);
    LF_TRY(tx.Exec("UPDATE tenants SET chain_seq = ?, chain_hash = ? WHERE id = ?",
                   {e.seq, hash, tenant_id})
               .status());
  }
  LF_TRY(tx.Exec("INSERT INTO events (tenant_id, seq, at, actor_id, type, entity, entity_id, data, "
                 "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 {tenant_id, e.seq, e.at, actor_id.empty() ? Value(nullptr) : Value(actor_id),
                  e.type, e.entity, e.entity_id, text, prev, hash})
             .status());
  {
    std::lock_guard lock(heads_mu_);
    heads_[tenant_id] = Head{e.seq, hash};
  }
  int64_t seq = e.seq;
  if (bus_) tx.OnCommit([bus = bus_, e = std::move(e)] { bus->Publish(e); });
  return seq;
}

Result<std::vector<Event>> EventLog::ForRecord(Connection& c, const std::string& tenant_id,
                                               const std::string& entity,
                                               const std::string& entity_id, int limit) {
  LF_ASSIGN(auto rows, c.Query("SELECT seq, at, actor_id, type, data FROM events WHERE tenant_id = ? "
                               "AND entity = ? AND entity_id = ? ORDER BY seq LIMIT ?",
                               {tenant_id, entity, entity_id, int64_t(limit)}));
  std::vector<Event> out;
  out.reserve(rows.rows.size());
  for (auto& r : rows.rows) {
    Event e;
    e.tenant_id = tenant_id;
    e.seq = AsInt(r[0]);
    e.at = AsInt(r[1]);
    e.actor_id = AsText(r[2]);
    e.type = AsText(r[3]);
    e.entity = entity;
    e.entity_id = entity_id;
    e.data = nlohmann::json::parse(AsText(r[4]), nullptr, false);
    out.push_back(std::move(e));
  }
  return out;
}

Result<EventLog::VerifyReport> EventLog::Verify(Database& db) {
  VerifyReport report;
  Status st = db.Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto tenants, c.Query("SELECT id, chain_seq, chain_hash FROM tenants ORDER BY id"));
    for (auto& t : tenants.rows) {
      std::string tenant = AsText(t[0]);
      report.tenants++;
      int64_t expect_seq = 1;
      std::string prev;
      Status inner = c.ForEach(
          "SELECT seq, at, actor_id, type, entity, entity_id, data, prev_hash, hash FROM events "
          "WHERE tenant_id = ? ORDER BY seq",
          {tenant}, [&](const std::vector<std::string>&, const Row& r) {
            Event e;
            e.seq = AsInt(r[0]);
            e.at = AsInt(r[1]);
            e.actor_id = AsText(r[2]);
            e.type = AsText(r[3]);
            e.entity = AsText(r[4]);
            e.entity_id = AsText(r[5]);
            std::string data = AsText(r[6]);
            report.events++;
            if (e.seq != expect_seq)
              report.problems.push_back("tenant " + tenant + ": events " +
                                        std::to_string(expect_seq) + ".." +
                                        std::to_string(e.seq - 1) + " are missing");
            if (AsText(r[7]) != prev)
              report.problems.push_back("tenant " + tenant + ": event " + std::to_string(e.seq) +
                                        " does not follow the previous event (prev_hash)");
            std::string h = Hash(AsText(r[7]), e, data);
            if (h != AsText(r[8]))
              report.problems.push_back("tenant " + tenant + ": event " + std::to_string(e.seq) +
                                        " was altered (hash mismatch)");
            prev = AsText(r[8]);
            expect_seq = e.seq + 1;
            return report.problems.size() < 100;
          });
      LF_TRY(inner);
      if (expect_seq - 1 != AsInt(t[1]) || prev != AsText(t[2]))
        report.problems.push_back("tenant " + tenant + ": chain head is seq " +
                                  std::to_string(AsInt(t[1])) + " but the log ends at " +
                                  std::to_string(expect_seq - 1) + " (rows deleted or head edited)");
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return report;
}

}  // namespace lf
