// The OpenAPI 3.1 document, generated from the route table and the entity metadata so it cannot
// drift from what the server does; tests/api checks responses against it.
#include "http/api.h"

namespace lf {
namespace {

using json = nlohmann::json;

json FieldSchema(const FieldDef& f) {
  json s;
  switch (f.type) {
    case FieldType::kNumber: s = {{"type", "number"}}; break;
    case FieldType::kMoney: s = {{"type", "integer"}, {"description", "amount in fen (分)"}}; break;
    case FieldType::kBool: s = {{"type", "boolean"}}; break;
    case FieldType::kDateTime: s = {{"type", "string"}, {"format", "date-time"}}; break;
    case FieldType::kDate: s = {{"type", "string"}, {"format", "date"}}; break;
    case FieldType::kEmail: s = {{"type", "string"}, {"format", "email"}}; break;
    case FieldType::kMultiEnum:
    case FieldType::kTags: {
      json items = {{"type", "string"}};
      if (!f.options.empty()) {
        items["enum"] = json::array();
        for (auto& o : f.options) items["enum"].push_back(o.value);
      }
      s = {{"type", "array"}, {"items", items}};
      break;
    }
    case FieldType::kEnum:
      s = {{"type", "string"}, {"enum", json::array()}};
      for (auto& o : f.options) s["enum"].push_back(o.value);
      break;
    default: s = {{"type", "string"}};
  }
  if (!f.required || f.readonly) s["type"] = json::array({s["type"], "null"});
  if (s.contains("enum") && s["type"].is_array()) s["enum"].push_back(nullptr);
  s["title"] = f.label_zh;
  s["description"] = f.label_en + (f.readonly ? " (read-only)" : "");
  if (f.readonly) s["readOnly"] = true;
  return s;
}

json Obj(json props, json required = json::array(), bool additional = false) {
  return {{"type", "object"},
          {"properties", std::move(props)},
          {"required", std::move(required)},
          {"additionalProperties", additional}};
}

}  // namespace

json Api::OpenApi() const {
  json schemas = {
      {"Problem", Obj({{"type", {{"type", "string"}}},
                       {"title", {{"type", "string"}}},
                       {"status", {{"type", "integer"}}},
                       {"code", {{"type", "string"}, {"description", "stable machine code"}}},
                       {"detail", {{"type", "string"}, {"description", "zh or en by Accept-Language"}}},
                       {"field", {{"type", "string"}}}},
                      {"type", "title", "status", "code", "detail"})},
      {"LoginRequest", Obj({{"email", {{"type", "string"}}}, {"password", {{"type", "string"}}}},
                           {"email", "password"})},
      {"User", Obj({{"id", {{"type", "string"}}}, {"email", {{"type", "string"}}},
                    {"name", {{"type", "string"}}}, {"role", {{"type", "string"}}},
                    {"department_id", {{"type", {"string", "null"}}}},
                    {"manager_id", {{"type", {"string", "null"}}}},
                    {"phone", {{"type", {"string", "null"}}}}, {"status", {{"type", "string"}}},
                    {"availability", {{"type", "string"}, {"enum", {"available", "away"}}}},
                    {"tenant_id", {{"type", "string"}}}},
                   {"id", "email", "name", "role"})},
      {"LoginResponse", Obj({{"token", {{"type", "string"}}},
                             {"expires_at", {{"type", "string"}, {"format", "date-time"}}},
                             {"user", {{"$ref", "#/components/schemas/User"}}}},
                            {"token", "user", "expires_at"})},
      {"Me", Obj({{"user", {{"type", "object"}}}, {"tenant", {{"type", "object"}}}}, {"user", "tenant"})},
      {"NewUser", Obj({{"email", {{"type", "string"}}}, {"name", {{"type", "string"}}},
                       {"password", {{"type", "string"}}}, {"role", {{"type", "string"}}},
                       {"department_id", {{"type", "string"}}}, {"manager_id", {{"type", "string"}}},
                       {"phone", {{"type", "string"}}}},
                      {"email", "name", "password"})},
      {"UserList", Obj({{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/User"}}}}}}, {"items"})},
      {"Department", Obj({{"id", {{"type", "string"}}}, {"name", {{"type", "string"}}},
                          {"parent_id", {{"type", {"string", "null"}}}}, {"path", {{"type", "string"}}},
                          {"head_user_id", {{"type", {"string", "null"}}}}},
                         {"id", "name", "parent_id", "path"})},
      {"DepartmentPatch", Obj({{"name", {{"type", "string"}}}, {"head_user_id", {{"type", {"string", "null"}}}}})},
      {"UserPatch", Obj({{"name", {{"type", "string"}}}, {"role", {{"type", "string"}}},
                         {"department_id", {{"type", {"string", "null"}}}}, {"manager_id", {{"type", {"string", "null"}}}},
                         {"phone", {{"type", {"string", "null"}}}},
                         {"status", {{"type", "string"}, {"enum", {"active", "disabled"}}}},
                         {"reason", {{"type", "string"}}}})},
      {"NewDepartment", Obj({{"name", {{"type", "string"}}}, {"parent_id", {{"type", "string"}}}}, {"name"})},
      {"DepartmentList", Obj({{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Department"}}}}}}, {"items"})},
      {"Role", Obj({{"name", {{"type", "string"}}}, {"label_zh", {{"type", "string"}}},
                    {"label_en", {{"type", "string"}}}, {"permissions", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                    {"entity_access", {{"type", "object"}, {"description", "entity or * → {actions, scope, inherit, shared_field}"}}}},
                   {"name", "label_zh", "label_en", "permissions", "entity_access"})},
      {"RoleCreate", Obj({{"name", {{"type", "string"}}}, {"label_zh", {{"type", "string"}}},
                          {"label_en", {{"type", "string"}}}, {"permissions", {{"type", "array"}}},
                          {"entity_access", {{"type", "object"}}}}, {"name", "label_zh"})},
      {"RolePatch", Obj({{"label_zh", {{"type", "string"}}}, {"label_en", {{"type", "string"}}},
                         {"permissions", {{"type", "array"}}}, {"entity_access", {{"type", "object"}}},
                         {"reason", {{"type", "string"}}}})},
      {"RoleList", Obj({{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Role"}}}}}}, {"items"})},
      {"AccessRule", Obj({{"id", {{"type", "string"}}}, {"name", {{"type", "string"}}}, {"entity", {{"type", "string"}}},
                          {"enabled", {{"type", "boolean"}}},
                          {"match", {{"type", "object"}, {"description", "{tag, via?} or {field, in}"}}},
                          {"allow", {{"type", "object"}, {"description", "{departments, roles, users, user_fields}"}}}},
                         {"name", "entity", "match", "allow"})},
      {"AccessRuleList", Obj({{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/AccessRule"}}}}}}, {"items"})},
      {"Grant", Obj({{"id", {{"type", "string"}}}, {"entity", {{"type", "string"}}}, {"record_id", {{"type", "string"}}},
                     {"grantee_id", {{"type", "string"}}}, {"mode", {{"type", "string"}, {"enum", {"read", "write"}}}},
                     {"relations", {{"type", "array"}}}, {"reason", {{"type", {"string", "null"}}}},
                     {"hours", {{"type", "integer"}}},
                     {"expires_at", {{"type", "string"}}}, {"revoked_at", {{"type", {"string", "null"}}}},
                     {"granted_by", {{"type", "string"}}}, {"created_at", {{"type", "string"}}},
                     {"state", {{"type", "string"}, {"enum", {"active", "expired", "revoked"}}}}},
                    {"entity", "record_id", "grantee_id"})},
      {"GrantList", Obj({{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Grant"}}}}}}, {"items"})},
      {"SensitiveField", Obj({{"entity", {{"type", "string"}}}, {"field", {{"type", "string"}}},
                              {"sensitive", {{"type", "boolean"}}}}, {"sensitive"})},
      {"SensitiveFieldList", Obj({{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/SensitiveField"}}}}}}, {"items"})},
      {"AccessRequest", Obj({{"id", {{"type", "string"}}}, {"requester_id", {{"type", "string"}}},
                             {"entity", {{"type", "string"}}}, {"record_id", {{"type", "string"}}},
                             {"fields", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                             {"purpose", {{"type", "string"}, {"enum", {"police_filing", "quality_trace", "tender", "other"}}}},
                             {"purpose_text", {{"type", {"string", "null"}}}},
                             {"approver", {{"type", "string"}, {"description", "manager | department_head | a user id"}}},
                             {"approver_id", {{"type", "string"}}}, {"hours", {{"type", "integer"}}},
                             {"status", {{"type", "string"}, {"enum", {"pending", "approved", "rejected", "expired"}}}},
                             {"decided_at", {{"type", {"string", "null"}}}}, {"decision_note", {{"type", {"string", "null"}}}},
                             {"expires_at", {{"type", {"string", "null"}}}}, {"created_at", {{"type", "string"}}}},
                            {"entity", "record_id", "fields", "purpose"})},
      {"AccessRequestList", Obj({{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/AccessRequest"}}}}}}, {"items"})},
      {"Decision", Obj({{"note", {{"type", "string"}}}})},
      {"AccessExplain", Obj({{"user", {{"type", "string"}}}, {"role", {{"type", "string"}}}, {"entity", {{"type", "string"}}},
                             {"id", {{"type", "string"}}}, {"action", {{"type", "string"}}},
                             {"decision", {{"type", "string"}, {"enum", {"allow", "deny"}}}},
                             {"decided_by", {{"type", "string"}}}, {"reason_en", {{"type", "string"}}},
                             {"reason_zh", {{"type", "string"}}}, {"checks", {{"type", "array"}}},
                             {"field", {{"type", "object"}}}},
                            {"decision", "decided_by", "checks"})},
      {"Schema", Obj({{"version", {{"type", "integer"}}}, {"entities", {{"type", "array"}}}}, {"entities"})},
      {"NewField", Obj({{"name", {{"type", "string"}, {"pattern", "^[a-z][a-z0-9_]{0,62}$"}}},
                        {"label_zh", {{"type", "string"}}}, {"label_en", {{"type", "string"}}},
                        {"type", {{"type", "string"},
                                  {"enum", {"text", "number", "money", "date", "datetime", "enum",
                                            "multi_enum", "phone", "email", "user", "reference", "bool"}}}},
                        {"required", {{"type", "boolean"}}}, {"options", {{"type", "array"}}},
                        {"ref_entity", {{"type", "string"}}}},
                       {"name", "label_zh", "type"})},
      {"Field", Obj({{"name", {{"type", "string"}}}, {"label_zh", {{"type", "string"}}},
                     {"label_en", {{"type", "string"}}}, {"type", {{"type", "string"}}},
                     {"required", {{"type", "boolean"}}}, {"readonly", {{"type", "boolean"}}},
                     {"builtin", {{"type", "boolean"}}}, {"system", {{"type", "boolean"}}},
                     {"sortable", {{"type", "boolean"}}}, {"options", {{"type", "array"}}},
                     {"ref_entity", {{"type", "string"}}},
                     {"default", {{"type", "string"}, {"description", "$me, $now or a literal"}}},
                     {"changed_by", {{"type", "string"}, {"description", "set on create, then changed only by this action (e.g. assign)"}}},
                     {"pending_since", {{"type", "string"}, {"description", "while null, reads as the hours since this field"}}},
                     {"max_length", {{"type", "integer"}}}},
                    {"name", "label_zh", "label_en", "type", "required"})},
      {"ArchiveRequest", Obj({{"reason", {{"type", "string"}}}})},
      {"NewOption", Obj({{"value", {{"type", "string"}, {"pattern", "^[a-z][a-z0-9_]{0,63}$"}}},
                         {"label_zh", {{"type", "string"}}}, {"label_en", {{"type", "string"}}}},
                        {"value", "label_zh"})},
      {"QuickEntry", Obj({{"phone", {{"type", "string"}}}, {"wechat", {{"type", "string"}}},
                          {"salutation", {{"type", "string"}}}, {"company", {{"type", "string"}}},
                          {"core_need", {{"type", "string"}}}, {"next_action", {{"type", "string"}}},
                          {"next_action_at", {{"type", "string"}, {"format", "date-time"}}},
                          {"channel", {{"type", "string"}}}, {"first_touch", {{"type", "string"}}},
                          {"home_pool_id", {{"type", "string"}, {"description", "归属公海; the default pool when omitted"}}}},
                         {"salutation"})},
      {"QuickEntryResult", Obj({{"lead", {{"$ref", "#/components/schemas/Record_leads"}}},
                                {"deduplicated", {{"type", "boolean"}}},
                                {"activity_id", {{"type", "string"}}}, {"task_id", {{"type", "string"}}}},
                               {"lead", "deduplicated"})},
      {"DuplicateCheck", Obj({{"duplicate", {{"type", "boolean"}}},
                              {"matches", {{"type", "array"},
                                           {"items", Obj({{"entity", {{"type", "string"}}},
                                                          {"field", {{"type", "string"}}},
                                                          {"owner", {{"type", {"object", "null"}}}},
                                                          {"mine", {{"type", "boolean"}}},
                                                          {"in_pool", {{"type", "boolean"}}},
                                                          {"archived", {{"type", "boolean"}}}},
                                                         {"entity", "field", "owner", "mine"})}}}},
                             {"duplicate", "matches"})},
      {"NewIntakeSource", Obj({{"name", {{"type", "string"}}}, {"channel", {{"type", "string"}}},
                               {"first_touch", {{"type", "string"}}},
                               {"pool_id", {{"type", {"string", "null"}}, {"description", "目标公海; null = the default pool"}}}},
                              {"name", "channel"})},
      {"IntakeSource", Obj({{"id", {{"type", "string"}}}, {"name", {{"type", "string"}}},
                            {"channel", {{"type", "string"}}}, {"first_touch", {{"type", {"string", "null"}}}},
                            {"key_hint", {{"type", "string"}}}, {"enabled", {{"type", "boolean"}}},
                            {"pool_id", {{"type", {"string", "null"}}}}, {"intake_url", {{"type", "string"}}},
                            {"key", {{"type", "string"}, {"description", "only when created or rotated"}}}},
                           {"id", "name", "channel", "key_hint", "enabled", "intake_url"})},
      {"IntakeSourcePatch", Obj({{"name", {{"type", "string"}}}, {"first_touch", {{"type", {"string", "null"}}}},
                                 {"enabled", {{"type", "boolean"}}}, {"pool_id", {{"type", {"string", "null"}}}}})},
      {"IntakeForm", Obj({{"name", {{"type", "string"}}}, {"channel", {{"type", "string"}}},
                          {"channel_label_zh", {{"type", "string"}}}, {"channel_label_en", {{"type", "string"}}}},
                         {"name", "channel"})},
      {"IntakeSourceList", Obj({{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/IntakeSource"}}}}}}, {"items"})},
      {"IntakeResult", Obj({{"id", {{"type", "string"}}}, {"deduplicated", {{"type", "boolean"}}}},
                           {"id", "deduplicated"})},
      {"CleaningRequest", Obj({{"older_than_days", {{"type", "integer"}, {"minimum", 1}, {"maximum", 3650}}},
                               {"filters", {{"type", "object"}}}, {"expected_count", {{"type", "integer"}}}},
                              {"older_than_days"})},
      {"CleaningPreview", Obj({{"older_than_days", {{"type", "integer"}}},
                               {"cutoff", {{"type", "string"}, {"format", "date-time"}}},
                               {"time_zone", {{"type", "string"}}}, {"count", {{"type", "integer"}}},
                               {"sample", {{"type", "array"}}}},
                              {"cutoff", "time_zone", "count", "sample"})},
      {"CleaningRun", Obj({{"id", {{"type", "string"}}}, {"criteria", {{"type", "object"}}},
                           {"cutoff", {{"type", "string"}, {"format", "date-time"}}},
                           {"archived", {{"type", "integer"}}},
                           {"created_at", {{"type", "string"}, {"format", "date-time"}}},
                           {"created_by", {{"type", "string"}}},
                           {"undone_at", {{"type", {"string", "null"}}}},
                           {"restored", {{"type", {"integer", "null"}}}}},
                          {"id", "criteria", "cutoff", "archived", "created_at"})},
      {"CleaningRunList", Obj({{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/CleaningRun"}}}}}}, {"items"})},
      {"LeadSettings", Obj({{"dedup_window_hours", {{"type", "integer"}, {"minimum", 1}, {"maximum", 720}}},
                            {"silent_period_hours", {{"type", "integer"}, {"minimum", 0}, {"maximum", 720}}}})},
      {"AssignmentRuleInput", Obj({{"name", {{"type", "string"}}}, {"position", {{"type", "integer"}}},
                                   {"enabled", {{"type", "boolean"}}},
                                   {"conditions", {{"type", "array"}, {"description", "[{field, op (eq ne in not_in contains gt gte lt lte exists), value}] — all must hold"}}},
                                   {"strategy", {{"type", "string"}, {"enum", {"round_robin", "weighted", "least_loaded"}}}},
                                   {"members", {{"type", "array"}, {"description", "[{user_id, weight}]"}}},
                                   {"cap", {{"type", {"integer", "null"}}, {"description", "most open leads per member"}}}})},
      {"AssignmentRule", Obj({{"id", {{"type", "string"}}}, {"name", {{"type", "string"}}},
                              {"position", {{"type", "integer"}}}, {"enabled", {{"type", "boolean"}}},
                              {"conditions", {{"type", "array"}}}, {"strategy", {{"type", "string"}}},
                              {"members", {{"type", "array"}}}, {"cap", {{"type", {"integer", "null"}}}}},
                             {"id", "name", "position", "enabled", "conditions", "strategy", "members", "cap"})},
      {"AssignmentRuleList", Obj({{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/AssignmentRule"}}}}}}, {"items"})},
      {"PoolInput", Obj({{"name", {{"type", "string"}}}, {"description", {{"type", {"string", "null"}}}},
                         {"is_default", {{"type", "boolean"}}}, {"enabled", {{"type", "boolean"}}},
                         {"rules", Obj({{"daily_claim_quota", {{"type", {"integer", "null"}}}},
                                        {"cooldown_days", {{"type", {"integer", "null"}}}},
                                        {"hold_cap_person", {{"type", {"integer", "null"}}}},
                                        {"hold_cap_department", {{"type", {"integer", "null"}}}},
                                        {"reclaim_days_without_followup", {{"type", {"integer", "null"}}}},
                                        {"reclaim_days_without_opportunity", {{"type", {"integer", "null"}}}},
                                        {"warn_days_ahead", {{"type", {"integer", "null"}}}},
                                        {"manual_entry", {{"type", {"boolean", "null"}}, {"description", "false: 关闭手工录入"}}}})}})},
      {"Pool", Obj({{"id", {{"type", "string"}}}, {"name", {{"type", "string"}}},
                    {"description", {{"type", {"string", "null"}}}}, {"is_default", {{"type", "boolean"}}},
                    {"rules", {{"type", "object"}}}, {"enabled", {{"type", "boolean"}}},
                    {"lead_count", {{"type", "integer"}}}},
                   {"id", "name", "is_default", "rules", "enabled"})},
      {"PoolList", Obj({{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Pool"}}}}}}, {"items"})},
      {"PoolLeadRequest", Obj({{"lead_id", {{"type", "string"}}}, {"reason", {{"type", "string"}}}}, {"lead_id"})},
      {"PoolTransferRequest", Obj({{"lead_id", {{"type", "string"}}}, {"to_pool_id", {{"type", "string"}}}},
                                  {"lead_id", "to_pool_id"})},
      {"ReclaimPreview", Obj({{"pool_id", {{"type", "string"}}}, {"due", {{"type", "array"}}},
                              {"warning", {{"type", "array"}}},
                              {"followup_cutoff", {{"type", {"string", "null"}}}},
                              {"opportunity_cutoff", {{"type", {"string", "null"}}}}},
                             {"pool_id", "due", "warning"})},
      {"ReclaimResult", Obj({{"reclaimed", {{"type", "integer"}}}}, {"reclaimed"})},
      {"ImportUpload", Obj({{"id", {{"type", "string"}}}, {"entity", {{"type", "string"}}},
                            {"encoding", {{"type", "string"}}}, {"columns", {{"type", "array"}}},
                            {"row_count", {{"type", "integer"}}}, {"sample", {{"type", "array"}}},
                            {"suggested_mapping", {{"type", "object"}}}},
                           {"id", "entity", "encoding", "columns", "row_count"})},
      {"ImportMapping", Obj({{"mapping", {{"type", "object"}, {"description", "{column: field}"}}},
                             {"time_zone", {{"type", {"string", "null"}}, {"description", "zone of offset-less times in the file"}}}},
                            {"mapping"})},
      {"ImportDryRun", Obj({{"rows", {{"type", "integer"}}}, {"valid", {{"type", "integer"}}},
                            {"invalid", {{"type", "integer"}}}, {"errors", {{"type", "array"}}}},
                           {"rows", "valid", "invalid", "errors"})},
      {"Import", Obj({{"id", {{"type", "string"}}}, {"entity", {{"type", "string"}}}, {"filename", {{"type", "string"}}},
                      {"encoding", {{"type", "string"}}}, {"columns", {{"type", "array"}}},
                      {"row_count", {{"type", "integer"}}}, {"mapping", {{"type", {"object", "null"}}}},
                      {"time_zone", {{"type", {"string", "null"}}}},
                      {"status", {{"type", "string"}, {"enum", {"uploaded", "running", "done"}}}},
                      {"processed", {{"type", "integer"}}}, {"imported", {{"type", "integer"}}},
                      {"duplicates", {{"type", "integer"}}}, {"failed", {{"type", "integer"}}},
                      {"created_at", {{"type", {"string", "null"}}}}, {"started_at", {{"type", {"string", "null"}}}},
                      {"finished_at", {{"type", {"string", "null"}}}}, {"errors_url", {{"type", "string"}}}},
                     {"id", "status", "processed", "imported", "duplicates", "failed"})},
      {"Reassign", Obj({{"owner_id", {{"type", "string"}}}, {"note", {{"type", "string"}}}}, {"owner_id"})},
      {"RuleInput", Obj({{"name", {{"type", "string"}}}, {"enabled", {{"type", "boolean"}}},
                         {"trigger", {{"type", "object"}, {"description", "{event} | {cron, entity?} | {after: {event, delay, unless?}}"}}},
                         {"condition", {{"type", "string"}, {"description", "docs/rule-language.md"}}},
                         {"actions", {{"type", "array"}, {"items", {{"type", "object"}}}}}},
                        {"name", "trigger", "actions"})},
      {"RulePatch", Obj({{"name", {{"type", "string"}}}, {"enabled", {{"type", "boolean"}}},
                         {"trigger", {{"type", "object"}}}, {"condition", {{"type", "string"}}},
                         {"actions", {{"type", "array"}, {"items", {{"type", "object"}}}}}})},
      {"Rule", Obj({{"id", {{"type", "string"}}}, {"name", {{"type", "string"}}}, {"enabled", {{"type", "boolean"}}},
                    {"trigger", {{"type", "object"}}}, {"condition", {{"type", "string"}}},
                    {"actions", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                    {"template_id", {{"type", {"string", "null"}}}}, {"revision", {{"type", "integer"}}},
                    {"created_at", {{"type", "string"}, {"format", "date-time"}}},
                    {"updated_at", {{"type", "string"}, {"format", "date-time"}}}, {"created_by", {{"type", "string"}}}},
                   {"id", "name", "enabled", "trigger", "condition", "actions", "revision"})},
      {"RuleList", Obj({{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Rule"}}}}}}, {"items"})},
      {"DryRun", Obj({{"rule_id", {{"type", "string"}}}, {"scanned", {{"type", "integer"}}}, {"matched", {{"type", "integer"}}},
                      {"items", {{"type", "array"}, {"items", {{"type", "object"}, {"description", "{id, name?, actions: [{…, would}]}"}}}}}},
                     {"scanned", "matched", "items"})},
      {"RuleFiringList", Obj({{"items", {{"type", "array"}, {"items", Obj({{"rule_id", {{"type", "string"}}},
                                   {"rule_name", {{"type", {"string", "null"}}}}, {"event_seq", {{"type", "integer"}}},
                                   {"entity", {{"type", "string"}}}, {"record_id", {{"type", "string"}}},
                                   {"action_index", {{"type", "integer"}}}, {"action", {{"type", "object"}}},
                                   {"status", {{"type", "string"}, {"enum", {"done", "unchanged", "suppressed", "not_delivered", "failed"}}}},
                                   {"result", {{"type", "object"}}}, {"at", {{"type", "string"}, {"format", "date-time"}}}},
                                  {"rule_id", "event_seq", "action_index", "action", "status", "result", "at"})}}},
                               {"next_cursor", {{"type", {"string", "null"}}, {"description", "with ?rule_id= only"}}}},
                              {"items"})},
      {"RuleTemplateList", Obj({{"items", {{"type", "array"}, {"items", {{"type", "object"}}}}}}, {"items"})},
      {"RuleTemplateInstall", Obj({{"template", {{"type", "string"}}}, {"needs_scheduler", {{"type", "boolean"}}},
                                   {"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Rule"}}}}}},
                                  {"template", "items"})},
      {"Alert", Obj({{"id", {{"type", "string"}}}, {"kind", {{"type", "string"}}},
                     {"severity", {{"type", "string"}, {"enum", {"info", "warning", "critical"}}}},
                     {"title", {{"type", "string"}}}, {"entity", {{"type", {"string", "null"}}}},
                     {"record_id", {{"type", {"string", "null"}}}}, {"rule_id", {{"type", {"string", "null"}}}},
                     {"owner_id", {{"type", {"string", "null"}}}}, {"supervisor_id", {{"type", {"string", "null"}}}},
                     {"state", {{"type", "string"}, {"enum", {"open", "acknowledged", "resolved"}}}},
                     {"created_at", {{"type", "string"}, {"format", "date-time"}}},
                     {"acknowledged_at", {{"type", {"string", "null"}}}}, {"acknowledged_by", {{"type", {"string", "null"}}}},
                     {"resolved_at", {{"type", {"string", "null"}}}}, {"resolved_by", {{"type", {"string", "null"}}}}},
                    {"id", "kind", "severity", "title", "state", "created_at"})},
      {"AlertList", Obj({{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Alert"}}}}}}, {"items"})},
      {"NotificationList", Obj({{"items", {{"type", "array"}, {"items", Obj({{"seq", {{"type", "integer"}}},
                                                                               {"at", {{"type", "string"}, {"format", "date-time"}}},
                                                                               {"title", {{"type", "string"}}},
                                                                               {"text", {{"type", "string"}}},
                                                                               {"kind", {{"type", "string"}}},
                                                                               {"entity", {{"type", "string"}}},
                                                                               {"record_id", {{"type", "string"}}}},
                                                                              {"seq", "at"})}}}},
                                {"items"})},
      {"Today", Obj({{"tasks", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                     {"hot_leads", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                     {"alerts", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Alert"}}}}}},
                    {"tasks", "hot_leads", "alerts"})},
      {"NotificationChannel", Obj({{"id", {{"type", "string"}}},
                                   {"kind", {{"type", "string"}, {"enum", {"dingtalk", "wecom", "email", "webhook"}}}},
                                   {"name", {{"type", "string"}}}, {"enabled", {{"type", "boolean"}}},
                                   {"is_default", {{"type", "boolean"}}},
                                   {"config", {{"type", "object"}, {"description", "url (query values cut to 4 characters), "
                                               "secret_set; email: smtp_url, username, password_set, from, to"}}},
                                   {"created_at", {{"type", "string"}, {"format", "date-time"}}},
                                   {"updated_at", {{"type", "string"}, {"format", "date-time"}}}},
                                  {"id", "kind", "name", "enabled", "is_default", "config"})},
      {"NotificationChannelList", Obj({{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/NotificationChannel"}}}}}}, {"items"})},
      {"NotificationChannelInput", Obj({{"kind", {{"type", "string"}, {"enum", {"dingtalk", "wecom", "email", "webhook"}}}},
                                        {"name", {{"type", "string"}}}, {"enabled", {{"type", "boolean"}}},
                                        {"is_default", {{"type", "boolean"}}},
                                        {"config", {{"type", "object"}, {"description", "dingtalk: {url, secret}; wecom: {url}; "
                                                    "email: {smtp_url, username?, password?, from, to?}; webhook: {url, secret?}"}}}},
                                       {"kind", "name", "config"})},
      {"NotificationChannelPatch", Obj({{"name", {{"type", "string"}}}, {"enabled", {{"type", "boolean"}}},
                                        {"is_default", {{"type", "boolean"}}}, {"config", {{"type", "object"}}}})},
      {"OutboundSettings", Obj({{"allow", {{"type", "array"}, {"items", {{"type", "string"}}}}}}, {"allow"})},
      {"Delivery", Obj({{"id", {{"type", "string"}}}, {"channel_id", {{"type", "string"}}}, {"channel_kind", {{"type", "string"}}},
                        {"channel_name", {{"type", {"string", "null"}}}}, {"rule_id", {{"type", {"string", "null"}}}},
                        {"rule_name", {{"type", {"string", "null"}}}}, {"entity", {{"type", {"string", "null"}}}},
                        {"record_id", {{"type", {"string", "null"}}}}, {"recipient", {{"type", "string"}}},
                        {"title", {{"type", "string"}}},
                        {"status", {{"type", "string"}, {"enum", {"pending", "sending", "retrying", "delivered", "dead"}}}},
                        {"attempts", {{"type", "integer"}}}, {"last_error", {{"type", {"string", "null"}}}},
                        {"response_code", {{"type", {"integer", "null"}}}},
                        {"created_at", {{"type", "string"}, {"format", "date-time"}}},
                        {"next_attempt_at", {{"type", {"string", "null"}}}}, {"delivered_at", {{"type", {"string", "null"}}}},
                        {"latency_ms", {{"type", {"integer", "null"}}}}},
                       {"id", "channel_id", "channel_kind", "status", "attempts", "created_at"})},
      {"DeliveryList", Obj({{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Delivery"}}}}},
                            {"next_cursor", {{"type", {"string", "null"}}}}}, {"items", "next_cursor"})},
      {"Document", Obj({{"id", {{"type", "string"}}}, {"name", {{"type", "string"}}}, {"mime", {{"type", "string"}}},
                        {"size", {{"type", "integer"}}}, {"sha256", {{"type", "string"}}},
                        {"created_at", {{"type", "string"}, {"format", "date-time"}}}, {"created_by", {{"type", "string"}}}},
                       {"id", "name", "mime", "size"})},
      {"Summary", Obj({{"total", {{"type", "integer"}}}, {"avg", {{"type", {"number", "null"}}}},
                       {"groups", {{"type", "array"}, {"items", Obj({{"value", {{"type", {"string", "boolean", "null"}}}},
                                                                     {"label", {{"type", {"string", "boolean", "null"}}}},
                                                                     {"label_en", {{"type", {"string", "boolean", "null"}}}},
                                                                     {"count", {{"type", "integer"}}},
                                                                     {"avg", {{"type", {"number", "null"}}}}},
                                                                    {"value", "count"})}}}},
                      {"total", "avg"})},
      {"SavedView", Obj({{"id", {{"type", "string"}}}, {"entity", {{"type", "string"}}}, {"name", {{"type", "string"}}},
                         {"query", {{"type", "string"}, {"description", "the list's query string: field[op]=v&q=&sort="}}},
                         {"shared", {{"type", "boolean"}}}, {"mine", {{"type", "boolean"}}},
                         {"created_at", {{"type", "string"}, {"format", "date-time"}}},
                         {"updated_at", {{"type", "string"}, {"format", "date-time"}}}},
                        {"id", "entity", "name", "query", "shared", "mine"})},
      {"SavedViewList", Obj({{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/SavedView"}}}}}}, {"items"})},
      {"SavedViewInput", Obj({{"entity", {{"type", "string"}}}, {"name", {{"type", "string"}}},
                              {"query", {{"type", "string"}}}, {"shared", {{"type", "boolean"}}}},
                             {"entity", "name", "query"})},
      {"SavedViewPatch", Obj({{"name", {{"type", "string"}}}, {"query", {{"type", "string"}}}, {"shared", {{"type", "boolean"}}}})},
      {"DocumentList", Obj({{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Document"}}}}}}, {"items"})},
      {"Availability", Obj({{"availability", {{"type", "string"}, {"enum", {"available", "away"}}}}}, {"availability"})},
      {"History", Obj({{"items", {{"type", "array"},
                                  {"items", Obj({{"seq", {{"type", "integer"}}},
                                                 {"at", {{"type", "string"}, {"format", "date-time"}}},
                                                 {"type", {{"type", "string"}}},
                                                 {"actor", {{"type", {"object", "null"}}}},
                                                 {"reason", {{"type", {"string", "object"}}, {"description", "assignment, release and reclaim events: {kind, …}"}}},
                                                 {"intake", Obj({{"source_id", {{"type", "string"}}},
                                                                 {"source_name", {{"type", "string"}}},
                                                                 {"raw", {{"description", "the payload as posted; null for a reader with masked fields"}}}})},
                                                 {"channel", {{"type", "string"}, {"description", "a touch's channel"}}},
                                                 {"caused_by", Obj({{"rule_id", {{"type", "string"}}},
                                                                    {"rule_name", {{"type", "string"}}}})},
                                                 {"document", Obj({{"id", {{"type", "string"}}},
                                                                   {"name", {{"type", "string"}}}})},
                                                 {"changes", {{"type", "array"}}}},
                                                {"seq", "at", "type", "actor", "changes"})}}}},
                      {"items"})},
  };
  for (const auto& e : BuiltinEntities()) {
    json props = json::object(), required = json::array();
    for (const auto& f : e.fields) {
      props[f.name] = FieldSchema(f);
      required.push_back(f.name);
    }
    if (e.name == "leads")
      props["response_pending"] = {{"type", "boolean"}, {"readOnly", true},
                                   {"description", "no follow-up yet: response_hours is the age so far"}};
    props["_masked"] = {{"type", "array"}, {"items", {{"type", "string"}}}, {"readOnly", true},
                        {"description", "sensitive fields shown masked to this reader (P3)"}};
    // Custom fields appear by their names; GET /api/v1/schema lists them for the tenant.
    json rec = Obj(props, required, true);
    rec["title"] = e.label_zh;
    schemas["Record_" + e.name] = rec;
    schemas["List_" + e.name] =
        Obj({{"items", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Record_" + e.name}}}}},
             {"next_cursor", {{"type", {"string", "null"}}}},
             {"total", {{"type", "integer"}}}},
            {"items", "next_cursor"});
  }
  json paths = json::object();
  for (const auto& r : router_.routes()) {
    json op = {{"summary", r.summary}, {"tags", {r.tag}}};
    std::string lower = r.method;
    for (auto& ch : lower) ch = char(std::tolower(ch));
    json params = json::array();
    for (size_t pos = r.pattern.find('{'); pos != std::string::npos; pos = r.pattern.find('{', pos + 1)) {
      std::string name = r.pattern.substr(pos + 1, r.pattern.find('}', pos) - pos - 1);
      params.push_back({{"name", name}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
    }
    if (!params.empty()) op["parameters"] = params;
    if (!r.request_schema.empty())
      op["requestBody"] = {{"required", r.method != "POST" || r.request_schema != "ArchiveRequest"},
                           {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/" + r.request_schema}}}}}}}};
    int ok = r.pattern == "/api/v1/imports" ? 201
             : r.pattern == "/api/v1/imports/{id}/start" ? 202
             : r.method == "POST" && r.request_schema.rfind("Record_", 0) == 0 ? 201
             : r.pattern == "/api/v1/auth/logout"                            ? 204
             : r.method == "POST" && (r.request_schema == "NewField" || r.request_schema == "NewUser" ||
                                      r.request_schema == "NewDepartment" || r.request_schema == "NewOption" ||
                                      r.request_schema == "QuickEntry" ||
                                      r.request_schema == "NewIntakeSource" ||
                                      (r.request_schema == "AssignmentRuleInput" && r.method == "POST") ||
                                      (r.request_schema == "PoolInput" && r.method == "POST") ||
                                      (r.response_schema == "CleaningRun" && r.request_schema == "CleaningRequest") ||
                                      r.response_schema == "IntakeResult" || r.request_schema == "RuleInput" ||
                                      r.response_schema == "RuleTemplateInstall" ||
                                      r.request_schema == "NotificationChannelInput" ||
                                      r.request_schema == "SavedViewInput" ||
                                      (r.method == "POST" && (r.pattern == "/api/v1/documents" ||
                                                              r.pattern.ends_with("/attachments"))))
                 ? 201
                 : 200;
    json ok_resp = {{"description", "success"}};
    if (!r.response_schema.empty())
      ok_resp["content"] = {{"application/json", {{"schema", {{"$ref", "#/components/schemas/" + r.response_schema}}}}}};
    if (r.pattern == "/api/v1/stream") ok_resp["content"] = {{"text/event-stream", {{"schema", {{"type", "string"}}}}}};
    if (r.pattern == "/api/v1/exports")
      ok_resp["content"] = {{"text/csv", {{"schema", {{"type", "string"}}}}},
                            {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             {{"schema", {{"type", "string"}, {"format", "binary"}}}}}};
    op["responses"] = {{std::to_string(ok), ok_resp},
                       {"default", {{"description", "error"},
                                    {"content", {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}}}};
    if (r.auth) op["security"] = json::array({{{"bearer", json::array()}}, {{"cookie", json::array()}}});
    paths[r.pattern][lower] = op;
  }
  return {{"openapi", "3.1.0"},
          {"info", {{"title", "LeadFlow API"}, {"version", "1"},
                    {"description", "CRM for lead capture, follow-up and process supervision. Errors are RFC 9457 problem+json; timestamps are RFC 3339 with an offset."}}},
          {"paths", paths},
          {"components", {{"schemas", schemas},
                          {"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
                                               {"cookie", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "lf_session"}}}}}}}};
}

}  // namespace lf
