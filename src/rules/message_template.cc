// Implements rules/message_template.h.
#include "rules/message_template.h"

namespace lf::rules {
namespace {

// Calls `fn(variable)` for every {{variable}} and `text(literal)` for the text between them.
template <typename Var, typename Lit>
void Scan(std::string_view s, Var&& fn, Lit&& text) {
  size_t pos = 0;
  while (pos < s.size()) {
    size_t open = s.find("{{", pos);
    size_t close = open == std::string_view::npos ? open : s.find("}}", open + 2);
    if (close == std::string_view::npos) {
      text(s.substr(pos));
      return;
    }
    text(s.substr(pos, open - pos));
    std::string_view inner = s.substr(open + 2, close - open - 2);
    while (!inner.empty() && inner.front() == ' ') inner.remove_prefix(1);
    while (!inner.empty() && inner.back() == ' ') inner.remove_suffix(1);
    fn(std::string(inner));
    pos = close + 2;
  }
}

}  // namespace

Status CheckTemplate(std::string_view text, const TenantSchema::Entity& subject, const std::string& where) {
  Status st = Status::Ok();
  Scan(
      text,
      [&](const std::string& var) {
        if (!st.ok()) return;
        if (var == "owner.name" || var == "recipient.name" || var == "rule.name" || var == "link" || var == "now") return;
        size_t dot = var.find('.');
        std::string root = dot == std::string::npos ? var : var.substr(0, dot);
        std::string field = dot == std::string::npos ? "" : var.substr(dot + 1);
        if ((root == "record" || root == subject.def->singular) && !field.empty() &&
            (subject.Find(field) || field == "id" || field == "created_at" || field == "updated_at"))
          return;
        st = Status::Error(ErrorKind::kValidation, "rules.unknown_variable",
                           "unknown variable {{" + var + "}}: use {{" + subject.def->singular +
                               ".<field>}}, {{owner.name}}, {{recipient.name}}, {{rule.name}}, {{link}} or {{now}}",
                           "未知变量 {{" + var + "}}:可用 {{" + subject.def->singular +
                               ".字段}}、{{owner.name}}、{{recipient.name}}、{{rule.name}}、{{link}}、{{now}}",
                           where);
      },
      [](std::string_view) {});
  return st;
}

std::string RenderTemplate(std::string_view text, const std::function<std::string(const std::string&)>& value) {
  std::string out;
  out.reserve(text.size() + 64);
  Scan(text, [&](const std::string& var) { out += value(var); }, [&](std::string_view lit) { out += lit; });
  return out;
}

}  // namespace lf::rules
