// Implements automation/message_render.h.
#include "automation/message_render.h"

#include "access/policy.h"
#include "rules/message_template.h"

namespace lf::automation {
namespace {

using json = nlohmann::json;

std::string LocalMinute(int64_t ms, const TimeZone* zone) {
  std::string s = FormatRfc3339(ms, zone);  // 2026-02-22T08:15:03+08:00
  return s.size() >= 16 ? s.substr(0, 10) + " " + s.substr(11, 5) : s;
}

std::string Scalar(const MessageContext& ctx, const FieldDef& f, const json& v) {
  if (v.is_null()) return "";
  switch (f.type) {
    case FieldType::kEnum:
    case FieldType::kMultiEnum:
    case FieldType::kTags: {
      auto label = [&](const json& x) {
        std::string s = x.is_string() ? x.get<std::string>() : x.dump();
        for (const auto& o : f.options)
          if (o.value == s) return o.label_zh.empty() ? s : o.label_zh;
        return s;
      };
      if (!v.is_array()) return label(v);
      std::string out;
      for (const auto& x : v) out += (out.empty() ? "" : "、") + label(x);
      return out;
    }
    case FieldType::kMoney:
      if (v.is_number_integer()) {
        int64_t fen = v.get<int64_t>();
        std::string sign = fen < 0 ? "-" : "";
        fen = fen < 0 ? -fen : fen;
        std::string cents = std::to_string(fen % 100);
        return sign + "¥" + std::to_string(fen / 100) + "." + (cents.size() < 2 ? "0" : "") + cents;
      }
      break;
    case FieldType::kDateTime:
      if (v.is_number()) return LocalMinute(v.get<int64_t>(), ctx.zone);
      break;
    case FieldType::kBool:
      if (v.is_boolean()) return v.get<bool>() ? "是" : "否";
      break;
    case FieldType::kUser:
      if (v.is_string()) {
        auto it = ctx.users.find(v.get<std::string>());
        return it == ctx.users.end() ? v.get<std::string>() : it->second.name;
      }
      break;
    default:
      break;
  }
  return v.is_string() ? v.get<std::string>() : v.dump();
}

}  // namespace

std::string FieldText(const MessageContext& ctx, const std::string& field) {
  const json& stored = *ctx.stored;
  if (field == "created_at" || field == "updated_at")
    return stored.contains(field) && stored[field].is_number() ? LocalMinute(stored[field].get<int64_t>(), ctx.zone) : "";
  if (field == "id") return stored.value("id", "");
  const FieldDef* f = ctx.entity->Find(field);
  if (!f || !stored.contains(field)) return "";
  json v = stored[field];
  if (ctx.sensitive && ctx.sensitive->count(field)) v = MaskValue(*f, v);
  return Scalar(ctx, *f, v);
}

std::string RenderMessage(const std::string& text, const MessageContext& ctx) {
  const std::string singular = ctx.entity->def->singular;
  return rules::RenderTemplate(text, [&](const std::string& var) -> std::string {
    auto user = [&](const std::string& id) {
      auto it = ctx.users.find(id);
      return it == ctx.users.end() ? std::string() : it->second.name;
    };
    if (var == "owner.name") return user(ctx.owner_id);
    if (var == "recipient.name") return user(ctx.recipient_id);
    if (var == "rule.name") return ctx.rule_name;
    if (var == "link") return ctx.link;
    if (var == "now") return LocalMinute(ctx.now_ms, ctx.zone);
    size_t dot = var.find('.');
    if (dot != std::string::npos && (var.compare(0, dot, "record") == 0 || var.compare(0, dot, singular) == 0))
      return FieldText(ctx, var.substr(dot + 1));
    return "";
  });
}

std::string DefaultMessageText(const MessageContext& ctx) {
  const auto& e = *ctx.entity;
  std::string text = "**{{rule.name}}**\n\n- " + e.def->label_zh + ":{{record.name}}";
  for (const char* field : {"phone", "channel", "first_touch", "color"})
    if (const FieldDef* f = e.Find(field)) text += "\n- " + f->label_zh + ":{{record." + field + "}}";
  if (e.Find("owner_id")) text += "\n- 负责人:{{owner.name}}";
  text += "\n- 时间:{{now}}";
  if (!ctx.link.empty()) text += "\n\n[在 LeadFlow 中查看]({{link}})";
  return RenderMessage(text, ctx);
}

}  // namespace lf::automation
