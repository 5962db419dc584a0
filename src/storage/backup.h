// Online logical backup and restore of a whole database, portable between engines (a SQLite backup
// restores into PostgreSQL and back): one consistent read snapshot written as JSON lines.
#pragma once

#include <string>

#include "storage/database.h"

namespace lf {

struct BackupStats {
  int tables = 0;
  int64_t rows = 0;
};

// Writes every table of `db` to `path` from one read snapshot, while the server keeps serving.
Result<BackupStats> BackupTo(Database& db, const std::string& path);
// Loads a backup into `db`, which must hold no tenants yet (migrations already applied).
Result<BackupStats> RestoreFrom(Database& db, const std::string& path);

}  // namespace lf
