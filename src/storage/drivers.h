// Driver factories used by Database::Open. Internal to storage/.
#pragma once

#include <memory>
#include <string>

#include "storage/database.h"

namespace lf {

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, const DatabaseOptions& opts);
Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, const DatabaseOptions& opts);

}  // namespace lf
