// Saved views (issue 6, lead pool "saved views"): a named list query — the same filters, search
// and sort as GET /api/v1/{entity} — kept per user, optionally shared with the whole tenant
// (views.share). A view is checked when saved by planning its query as its author would run it
// (unknown fields, masked fields, bad operators are refused); applying it is just listing with it,
// so what it shows is always what the person looking may read.
// Thread-safety: thread-safe (stateless apart from the injected services).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "records/record_service.h"

namespace lf {

inline constexpr const char* kPermViewsShare = "views.share";

class SavedViews {
 public:
  SavedViews(Database& db, RecordService& records, const Clock& clock) : db_(db), records_(records), clock_(clock) {}
  // ?entity= → my views and the tenant's shared ones: {items: [{id, entity, name, query, shared,
  // mine, created_at, updated_at}]}.
  Result<nlohmann::json> List(const Principal& p, const std::string& entity);
  // {entity, name, query: "channel=douyin_form&color[in]=red,yellow&sort=-created_at", shared?}.
  Result<nlohmann::json> Create(const Principal& p, const nlohmann::json& body);
  // Only its author: {name?, query?, shared?}.
  Result<nlohmann::json> Update(const Principal& p, const std::string& id, const nlohmann::json& body);
  Result<nlohmann::json> Remove(const Principal& p, const std::string& id);

 private:
  // Checks `query` for `entity` as `p` would list it; returns it unchanged when valid.
  Status CheckQuery(const Principal& p, const std::string& entity, const std::string& query);
  Result<nlohmann::json> Load(const Principal& p, const std::string& id);

  Database& db_;
  RecordService& records_;
  const Clock& clock_;
};

}  // namespace lf
