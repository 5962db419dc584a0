// Routes of access control (issue: roles, data scopes, access rules, temporary grants, sensitive
// fields, purpose-bound access requests, explain). Handlers only translate HTTP to AccessService.
#include "http/api.h"

namespace lf {

using json = nlohmann::json;

namespace {
std::string QueryValue(const Request& req, const std::string& key) {
  for (const auto& [k, v] : req.query)
    if (k == key) return v;
  return "";
}
}  // namespace

void Api::AddAccessRoutes() {
  AddJsonRoute("GET", "/api/v1/roles", "Roles: permissions, entity rights and data scopes", "access",
               "", "RoleList", 200, [this](Ctx& c, const json&) { return access_.ListRoles(c.principal); });
  AddJsonRoute("POST", "/api/v1/roles", "Create a role (access.manage)", "access", "RoleCreate", "Role", 201,
               [this](Ctx& c, const json& b) { return access_.CreateRole(c.principal, b); });
  AddJsonRoute("PATCH", "/api/v1/roles/{name}", "Change a role's rights; its users are notified (P4)",
               "access", "RolePatch", "Role", 200,
               [this](Ctx& c, const json& b) { return access_.UpdateRole(c.principal, c.params["name"], b); });

  AddJsonRoute("GET", "/api/v1/access-rules", "Restricting access rules (P1)", "access", "", "AccessRuleList", 200,
               [this](Ctx& c, const json&) { return access_.ListRules(c.principal); });
  AddJsonRoute("POST", "/api/v1/access-rules", "Create an access rule: records that match are visible "
               "only to whom it allows", "access", "AccessRule", "AccessRule", 201,
               [this](Ctx& c, const json& b) { return access_.CreateRule(c.principal, b); });
  AddJsonRoute("PATCH", "/api/v1/access-rules/{id}", "Change or disable an access rule", "access",
               "AccessRule", "AccessRule", 200,
               [this](Ctx& c, const json& b) { return access_.UpdateRule(c.principal, c.params["id"], b); });

  AddJsonRoute("GET", "/api/v1/grants", "Temporary grants you gave or received (all for access managers)",
               "access", "", "GrantList", 200, [this](Ctx& c, const json&) { return access_.ListGrants(c.principal); });
  AddJsonRoute("POST", "/api/v1/grants", "Invite a colleague to a record for a time (P2)", "access", "Grant",
               "Grant", 201, [this](Ctx& c, const json& b) { return access_.CreateGrant(c.principal, b); });
  AddJsonRoute("POST", "/api/v1/grants/{id}/revoke", "Revoke a grant at once", "access", "", "Grant", 200,
               [this](Ctx& c, const json&) { return access_.RevokeGrant(c.principal, c.params["id"]); });

  AddJsonRoute("GET", "/api/v1/sensitive-fields", "Fields shown masked by default (P3)", "access", "",
               "SensitiveFieldList", 200,
               [this](Ctx& c, const json&) { return access_.ListSensitiveFields(c.principal); });
  AddJsonRoute("PUT", "/api/v1/sensitive-fields/{entity}/{field}", "Mark or unmark a sensitive field",
               "access", "SensitiveField", "SensitiveField", 200, [this](Ctx& c, const json& b) {
                 return access_.SetSensitive(c.principal, c.params["entity"], c.params["field"], b);
               });

  AddJsonRoute("GET", "/api/v1/access-requests", "Your access requests and those waiting for your decision",
               "access", "", "AccessRequestList", 200,
               [this](Ctx& c, const json&) { return access_.ListRequests(c.principal); });
  AddJsonRoute("POST", "/api/v1/access-requests", "Ask to see sensitive fields of a record, with a purpose (P8)",
               "access", "AccessRequest", "AccessRequest", 201,
               [this](Ctx& c, const json& b) { return access_.CreateRequest(c.principal, b); });
  AddJsonRoute("POST", "/api/v1/access-requests/{id}/approve", "Approve: the fields are unmasked for the "
               "requested hours", "access", "Decision", "AccessRequest", 200, [this](Ctx& c, const json& b) {
                 return access_.DecideRequest(c.principal, c.params["id"], true, b);
               });
  AddJsonRoute("POST", "/api/v1/access-requests/{id}/reject", "Reject with a note", "access", "Decision",
               "AccessRequest", 200, [this](Ctx& c, const json& b) {
                 return access_.DecideRequest(c.principal, c.params["id"], false, b);
               });

  AddJsonRoute("GET", "/api/v1/access/explain", "Why a user may or may not act on a record "
               "(?user=&entity=&id=&field=&action=)", "access", "", "AccessExplain", 200,
               [this](Ctx& c, const json&) {
                 return access_.Explain(c.principal, QueryValue(c.req, "user"), QueryValue(c.req, "entity"),
                                        QueryValue(c.req, "id"), QueryValue(c.req, "field"),
                                        QueryValue(c.req, "action"));
               });
}

}  // namespace lf
