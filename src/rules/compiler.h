// The checker and code generator: resolves entity.field paths against a tenant's schema, checks
// types and functions, and emits a Program over slots interned into a RowLayout.
// Thread-safety: pure functions (the schema is only read).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "rules/program.h"
#include "rules/value.h"
#include "schema/metadata.h"

namespace lf::rules {

// What a condition is compiled against.
struct ExprEnv {
  const TenantSchema* schema = nullptr;  // required while compiling; not kept afterwards
  std::string subject = "lead";          // singular name of the record the rule is about
  std::vector<std::string> related;      // other entities (singular) the host binds into rows
  const TimeZone* zone = nullptr;        // the tenant's zone: datetime literals without an offset
  // Whether a string compared with an enum / multi_enum field must be one of its options
  // ("rules.unknown_option"). On by default: a typo would otherwise make a rule silently never fire.
  bool strict_options = true;
};

// The layout for `env`: bindings [subject, related…]. Fails ("rules.unknown_entity", kValidation)
// when an entity is not in the schema.
Result<RowLayout> MakeLayout(const ExprEnv& env);

// Compiles `source`. `layout` must come from MakeLayout(env) (or be shared by conditions compiled
// against the same env); slots the condition reads are interned into it. Errors carry line and
// column (rules/diagnostics.h).
Result<std::unique_ptr<Program>> CompileProgram(std::string_view source, const ExprEnv& env,
                                                RowLayout* layout);

}  // namespace lf::rules
