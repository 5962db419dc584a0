// Turns list query parameters into one SQL statement: tenant scope, filters on any field (custom
// too), text search, sort with a keyset cursor. Internal to records/. Pure functions.
#pragma once

#include <string>
#include <vector>

#include "records/record_service.h"

namespace lf {

struct ListPlan {
  std::string where;                 // "tenant_id = ? AND (access) AND …" (no cursor condition)
  std::vector<Value> params;         // for `where`
  std::string base_where;            // `where` without the access predicate
  std::vector<Value> base_params;    // for `base_where`
  std::string page_where;            // " AND (keyset condition)" or ""
  std::vector<Value> page_params;    // for `page_where`
  std::string order_by;              // "created_at DESC NULLS LAST, id DESC"
  const FieldDef* sort_field = nullptr;
  bool descending = true;
  std::string sort_spec;             // "-created_at", echoed in cursors
  int limit = 50;
  bool with_total = false;
  int64_t now = 0;  // the instant pending values are read at (kept in cursors: pages agree)
};

// The SQL value of `f` in filters, sorts and averages: the column, or for a field with
// `pending_since` the hours since that field while the column is null, read at `now`.
std::string ValueSqlExpr(const FieldDef& f, const Dialect& d, int64_t now);

// `access` puts its predicate into `where` (so counts see only readable rows) and refuses
// filters, sorts on its hidden fields; `q` does not search them.
Result<ListPlan> PlanList(const TenantSchema::Entity& e, const Dialect& d,
                          const std::string& tenant_id, const QueryParams& query,
                          const RowAccess& access, int64_t now);

// The cursor that continues after `last_row` (a row in SelectList order).
std::string EncodeCursor(const ListPlan& plan, const TenantSchema::Entity& e, const Row& last_row);

}  // namespace lf
