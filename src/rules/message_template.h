// Message templates of rule actions (issue 4 §6): titles and texts with variables in double braces,
// e.g. "红色高意向线索:{{lead.name}}({{lead.channel}}),负责人 {{owner.name}} — {{link}}".
// Variables: {{<subject>.<field>}} or {{record.<field>}} (any field of the rule's entity, custom
// fields too), {{owner.name}}, {{recipient.name}}, {{rule.name}}, {{link}} (the record in the web
// app), {{now}} (in the tenant's zone). Unknown variables are refused when the rule is saved.
// Thread-safety: pure functions.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "schema/metadata.h"

namespace lf::rules {

// Checks every variable of `text` against the subject entity; `where` names the property.
Status CheckTemplate(std::string_view text, const TenantSchema::Entity& subject, const std::string& where);

// Replaces every {{variable}} with `value(variable)` (the variable without braces and spaces).
std::string RenderTemplate(std::string_view text, const std::function<std::string(const std::string&)>& value);

}  // namespace lf::rules
