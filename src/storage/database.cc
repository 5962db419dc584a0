// Database::Open: picks the driver from the URL.
#include "storage/database.h"

#include "storage/drivers.h"

namespace lf {

Result<std::unique_ptr<Database>> Database::Open(const std::string& url,
                                                 const DatabaseOptions& options) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0)
    return OpenPostgres(url, options);
  std::string path = url.rfind("sqlite:", 0) == 0 ? url.substr(7) : url;
  if (path.empty())
    return Status::Error(ErrorKind::kInvalidArgument, "config.bad_db_url",
                         "empty database path in '" + url + "'", "数据库地址为空");
  return OpenSqlite(path, options);
}

}  // namespace lf
