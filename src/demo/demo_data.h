// demo/: the demo company that `make run` and `leadflow demo` create — departments, 8 users in the
// four roles, ~2,000 leads across the seed channels with follow-ups, customers, contacts,
// opportunities, contracts and tasks spread over the last 90 days. Deterministic (fixed seed).
// Depends on identity/ and records/.
#pragma once

#include <string>

#include "storage/database.h"

namespace lf {

struct DemoOptions {
  int leads = 2000;
  std::string admin_email = "admin@demo.leadflow.cn";
  std::string password = "demo1234";
  int64_t now_ms = 0;  // 0 → the system clock
};

struct DemoSummary {
  std::string tenant_id;
  int users = 0, leads = 0, activities = 0, customers = 0;
};

// Creates the demo tenant unless a user with the admin email exists (then returns kConflict).
Result<DemoSummary> CreateDemo(Database& db, const DemoOptions& opts);

}  // namespace lf
