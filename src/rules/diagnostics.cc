// Implements rules/diagnostics.h.
#include "rules/diagnostics.h"

namespace lf::rules {

Status RuleError(std::string code, SourcePos pos, const std::string& en, const std::string& zh) {
  std::string l = std::to_string(pos.line), c = std::to_string(pos.column);
  return Status::Error(ErrorKind::kValidation, std::move(code), "line " + l + ", column " + c + ": " + en,
                       "第 " + l + " 行第 " + c + " 列: " + zh, "condition");
}

}  // namespace lf::rules
