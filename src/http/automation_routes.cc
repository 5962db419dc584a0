// Routes of automation (issue 4): rules, dry runs, rule templates, alerts and the "today" card.
// Handlers only translate HTTP to automation/.
#include "http/api.h"

#include <charconv>

namespace lf {

using json = nlohmann::json;

void Api::AddAutomationRoutes() {
  auto& store = automation_.store();
  auto& alerts = automation_.alerts();
  AddJsonRoute("GET", "/api/v1/rules", "Automation rules (rules.manage)", "automation", "", "RuleList", 200,
               [&store](Ctx& c, const json&) { return store.List(c.principal); });
  AddJsonRoute("POST", "/api/v1/rules", "Create a rule: trigger, condition (checked against the schema, errors "
               "with line and column), actions", "automation", "RuleInput", "Rule", 201,
               [&store](Ctx& c, const json& b) { return store.Create(c.principal, b); });
  AddJsonRoute("GET", "/api/v1/rules/{id}", "One rule", "automation", "", "Rule", 200,
               [&store](Ctx& c, const json&) { return store.Get(c.principal, c.params["id"]); });
  AddJsonRoute("PATCH", "/api/v1/rules/{id}", "Change or enable/disable a rule (checked again)", "automation",
               "RulePatch", "Rule", 200,
               [&store](Ctx& c, const json& b) { return store.Update(c.principal, c.params["id"], b); });
  AddJsonRoute("POST", "/api/v1/rules/{id}/dry-run", "Which existing records the rule (with the body's changes "
               "applied) matches now and what it would do; writes nothing", "automation", "RulePatch", "DryRun", 200,
               [this](Ctx& c, const json& b) { return automation_.DryRun(c.principal, c.params["id"], b); });
  AddJsonRoute("GET", "/api/v1/rule-firings", "What rules did to one record (?entity=leads&record_id=…) or what "
               "one rule did (?rule_id=…&limit=&cursor=, rules.manage; next_cursor pages on): rule, event, action, "
               "status, result", "automation", "",
               "RuleFiringList", 200, [&store](Ctx& c, const json&) {
                 return store.Firings(c.principal, QueryParam(c.req, "entity"), QueryParam(c.req, "record_id"),
                                      QueryParam(c.req, "rule_id"), QueryParam(c.req, "cursor"),
                                      QueryParam(c.req, "limit"));
               });
  AddJsonRoute("GET", "/api/v1/rule-templates", "Shipped rule templates (three-colour funnel, no reply in 3 days, "
               "process alerts, renewal health)", "automation", "", "RuleTemplateList", 200,
               [&store](Ctx& c, const json&) { return store.ListTemplates(c.principal); });
  AddJsonRoute("POST", "/api/v1/rule-templates/{id}/install", "Install a template's rules in one call", "automation",
               "", "RuleTemplateInstall", 201,
               [&store](Ctx& c, const json&) { return store.InstallTemplate(c.principal, c.params["id"]); });
  AddJsonRoute("GET", "/api/v1/alerts", "Alerts you may see (?state=open|acknowledged|resolved)", "automation", "",
               "AlertList", 200,
               [&alerts](Ctx& c, const json&) { return alerts.List(c.principal, QueryParam(c.req, "state")); });
  AddJsonRoute("POST", "/api/v1/alerts/{id}/ack", "Acknowledge an open alert", "automation", "", "Alert", 200,
               [&alerts](Ctx& c, const json&) { return alerts.Acknowledge(c.principal, c.params["id"]); });
  AddJsonRoute("POST", "/api/v1/alerts/{id}/resolve", "Resolve an alert", "automation", "", "Alert", 200,
               [&alerts](Ctx& c, const json&) { return alerts.Resolve(c.principal, c.params["id"]); });
  AddJsonRoute("GET", "/api/v1/me/today", "The golden-3-minutes card: tasks due within 24 h or overdue, hot leads "
               "(≥ 2 activities in 3 calendar days), my open alerts", "automation", "", "Today", 200,
               [&alerts](Ctx& c, const json&) { return alerts.Today(c.principal); });
  AddJsonRoute("GET", "/api/v1/me/notifications", "My in-app notifications (rule notify actions, 公海 reclaim "
               "warnings), newest first; ?limit=1–200 (default 50)", "automation", "", "NotificationList", 200,
               [&alerts](Ctx& c, const json&) -> Result<json> {
                 std::string limit = QueryParam(c.req, "limit");
                 int n = 50;
                 if (!limit.empty()) {
                   auto r = std::from_chars(limit.data(), limit.data() + limit.size(), n);
                   if (r.ec != std::errc() || r.ptr != limit.data() + limit.size()) n = 0;  // refused there
                 }
                 return alerts.Notifications(c.principal, n);
               });
}

}  // namespace lf
