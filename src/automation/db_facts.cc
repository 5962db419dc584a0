// Implements automation/db_facts.h.
#include "automation/db_facts.h"

namespace lf::automation {

std::string DbFacts::LinkColumn(std::string_view entity) const {
  const auto* acts = schema_.Find("activities");
  if (!acts) return "";
  const FieldDef* f = acts->Find(std::string(entity) + "_id");
  if (!f || f->type != FieldType::kReference || !f->builtin) return "";
  return f->name;
}

Result<int64_t> DbFacts::CountActivities(std::string_view entity, std::string_view record_id, int64_t since_ms,
                                         int64_t now_ms) {
  std::string col = LinkColumn(entity);
  if (col.empty()) return int64_t(0);
  LF_ASSIGN(auto rows, c_.Query("SELECT COUNT(*) FROM activities WHERE tenant_id = ? AND " + col +
                                    " = ? AND occurred_at >= ? AND occurred_at <= ? AND archived_at IS NULL",
                                {tenant_id_, std::string(record_id), since_ms, now_ms}));
  return AsInt(rows.rows[0][0]);
}

Result<std::optional<int64_t>> DbFacts::LastActivityAt(std::string_view entity, std::string_view record_id,
                                                       int64_t now_ms) {
  std::string col = LinkColumn(entity);
  if (col.empty()) return std::optional<int64_t>();
  LF_ASSIGN(auto rows, c_.Query("SELECT MAX(occurred_at) FROM activities WHERE tenant_id = ? AND " + col +
                                    " = ? AND occurred_at <= ? AND archived_at IS NULL",
                                {tenant_id_, std::string(record_id), now_ms}));
  if (rows.empty() || IsNull(rows.rows[0][0])) return std::optional<int64_t>();
  return std::optional<int64_t>(AsInt(rows.rows[0][0]));
}

}  // namespace lf::automation
