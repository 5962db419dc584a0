// DbFacts: rules::Facts read from the activities table on one connection (activities link to a
// record through their `<singular>_id` reference field, e.g. lead_id, resolved via the schema).
// Thread-safety: not thread-safe; one per evaluating read.
#pragma once

#include "rules/facts.h"
#include "schema/metadata.h"
#include "storage/database.h"

namespace lf::automation {

class DbFacts : public rules::Facts {
 public:
  DbFacts(Connection& c, const TenantSchema& schema, std::string tenant_id)
      : c_(c), schema_(schema), tenant_id_(std::move(tenant_id)) {}
  Result<int64_t> CountActivities(std::string_view entity, std::string_view record_id, int64_t since_ms,
                                  int64_t now_ms) override;
  Result<std::optional<int64_t>> LastActivityAt(std::string_view entity, std::string_view record_id,
                                                int64_t now_ms) override;

 private:
  // The activities column linking to `entity` (singular); empty when activities cannot link to it.
  std::string LinkColumn(std::string_view entity) const;
  Connection& c_;
  const TenantSchema& schema_;
  std::string tenant_id_;
};

}  // namespace lf::automation
