// The policy matrix (issue 5): roles × scopes × tags × grants × fields → expected decision, one
// row per case. The SQL predicate agrees with these decisions (access_property_test.cc).
#include <gtest/gtest.h>

#include "access/policy.h"

namespace lf {
namespace {

using json = nlohmann::json;

// Org chart: 销售部 /S/ with groups /S/E/ (me, peer) and /S/W/ (west); 战略部 /T/ (strat).
// "boss" manages me.
struct Row {
  const char* name;
  const char* who;       // the reader
  const char* role;      // "sales" | "supervisor" | "admin"
  Scope scope;           // the role's scope on leads
  const char* owner;     // the lead's owner ("" = none)
  const char* tag;       // a tag on the lead ("" = none)
  bool rule;             // rule: leads tagged 战略 visible only to 战略部 and the owner
  const char* grant;     // a live read grant to the reader ("", "live", "expired", "write")
  Action action;
  bool allow;
  const char* by;
};

const Row kRows[] = {
    {"self sees own", "me", "sales", Scope::kSelf, "me", "", false, "", Action::kRead, true, "scope:self"},
    {"self not a peer's", "me", "sales", Scope::kSelf, "peer", "", false, "", Action::kRead, false, "scope"},
    {"self not unowned", "me", "sales", Scope::kSelf, "", "", false, "", Action::kRead, false, "scope"},
    {"subordinates: boss sees me", "boss", "supervisor", Scope::kSubordinates, "me", "", false, "", Action::kRead, true, "scope:subordinates"},
    {"subordinates: not the reverse", "me", "sales", Scope::kSubordinates, "boss", "", false, "", Action::kRead, false, "scope"},
    {"department: same group", "me", "sales", Scope::kDepartment, "peer", "", false, "", Action::kRead, true, "scope:department"},
    {"department: not the parent's", "me", "sales", Scope::kDepartment, "boss", "", false, "", Action::kRead, false, "scope"},
    {"tree: boss sees the west group", "boss", "supervisor", Scope::kDepartmentTree, "west", "", false, "", Action::kRead, true, "scope:department_tree"},
    {"tree: not another department", "boss", "supervisor", Scope::kDepartmentTree, "strat", "", false, "", Action::kRead, false, "scope"},
    {"all", "me", "sales", Scope::kAll, "strat", "", false, "", Action::kRead, true, "scope:all"},
    {"none", "me", "sales", Scope::kNone, "me", "", false, "", Action::kRead, false, "scope"},
    {"rule hides a tagged lead from the supervisor", "boss", "supervisor", Scope::kDepartmentTree, "me", "战略", true, "", Action::kRead, false, "rule:r1"},
    {"rule lets the owner through", "me", "sales", Scope::kSelf, "me", "战略", true, "", Action::kRead, true, "scope:self"},
    {"rule lets the strategy department through", "strat", "supervisor", Scope::kAll, "me", "战略", true, "", Action::kRead, true, "scope:all"},
    {"rule ignores untagged leads", "boss", "supervisor", Scope::kDepartmentTree, "me", "其他", true, "", Action::kRead, true, "scope:department_tree"},
    {"live grant opens a peer's lead", "me", "sales", Scope::kSelf, "peer", "", false, "live", Action::kRead, true, "grant"},
    {"live grant beats a rule", "boss", "supervisor", Scope::kDepartmentTree, "me", "战略", true, "live", Action::kRead, true, "grant"},
    {"expired grant opens nothing", "me", "sales", Scope::kSelf, "peer", "", false, "expired", Action::kRead, false, "scope"},
    {"read grant does not allow update", "me", "sales", Scope::kSelf, "peer", "", false, "live", Action::kUpdate, false, "scope"},
    {"write grant allows update", "me", "sales", Scope::kSelf, "peer", "", false, "write", Action::kUpdate, true, "grant"},
    {"no export right", "me", "sales", Scope::kAll, "me", "", false, "", Action::kExport, false, "role"},
    {"admin sees everything", "me", "admin", Scope::kNone, "strat", "战略", true, "", Action::kRead, true, "superuser"},
};

TEST(AccessMatrix, DecisionsFollowTheTable) {
  std::vector<TenantSchema::Entity> ents;
  for (const auto& def : BuiltinEntities()) ents.push_back({&def, def.fields});
  TenantSchema schema(1, ents);
  const auto& leads = *schema.Find("leads");
  const std::map<std::string, std::string> dept = {{"me", "/S/E/"}, {"peer", "/S/E/"}, {"west", "/S/W/"},
                                                   {"boss", "/S/"}, {"strat", "/T/"}};
  auto paths = std::make_shared<std::unordered_map<std::string, std::string>>(dept.begin(), dept.end());
  const int64_t now = 1'000'000;
  for (const auto& row : kRows) {
    PolicySubject s;
    s.tenant_id = "t";
    s.user_id = row.who;
    s.role = row.role;
    s.department_path = dept.at(row.who);
    s.department_id = s.department_path.substr(s.department_path.size() - 2, 1);
    s.user_paths = paths;
    if (std::string(row.who) == "boss") s.subordinates = {"me"};
    if (std::string(row.role) == "admin") s.permissions = {"*"};
    RoleRights rights;
    rights.entities["leads"] = EntityRights{{Action::kRead, Action::kUpdate}, row.scope, {}, ""};
    std::vector<AccessRule> rules;
    if (row.rule) {
      AccessRule r;
      r.id = "r1";
      r.entity = "leads";
      r.tag = "战略";
      r.departments = {"T"};
      r.user_fields = {"owner_id"};
      rules.push_back(r);
    }
    std::vector<Grant> grants;
    std::string g = row.grant;
    if (!g.empty())
      grants.push_back(Grant{"g1", "leads", "L1", g == "write" ? "write" : "read", {}, g == "expired" ? now - 1 : now + 1});
    AccessPolicy policy(s, rights, rules, grants, {}, {});
    json lead = {{"id", "L1"}, {"owner_id", *row.owner ? json(row.owner) : json(nullptr)},
                 {"tags", *row.tag ? json::array({row.tag}) : json::array()}};
    RecordFacts facts;
    facts.values = &lead;
    Decision d = policy.Decide(schema, leads, facts, row.action, now);
    EXPECT_EQ(d.allow, row.allow) << row.name;
    EXPECT_EQ(d.by(), row.by) << row.name;
  }
}

TEST(AccessMatrix, SensitiveFieldsMaskedUnlessPermittedOrRequested) {
  const int64_t now = 1'000'000;
  std::map<std::string, std::set<std::string>> sensitive = {{"leads", {"phone", "wechat"}}};
  struct Case {
    const char* name;
    std::set<std::string> permissions;
    int64_t request_expires;  // 0: no approved request; it unmasks phone of L1
    const char* record;
    std::set<std::string> masked;
  };
  const Case cases[] = {
      {"masked by default", {}, 0, "L1", {"phone", "wechat"}},
      {"fields.unmask sees all", {"fields.unmask"}, 0, "L1", {}},
      {"admin sees all", {"*"}, 0, "L1", {}},
      {"approved request unmasks that field of that record", {}, now + 1, "L1", {"wechat"}},
      {"not another record", {}, now + 1, "L2", {"phone", "wechat"}},
      {"expired request unmasks nothing", {}, now, "L1", {"phone", "wechat"}},
  };
  for (const auto& c : cases) {
    PolicySubject s;
    s.user_id = "me";
    s.permissions = c.permissions;
    std::vector<Unmask> unmasks;
    if (c.request_expires) unmasks.push_back(Unmask{"req1", "leads", "L1", {"phone"}, c.request_expires});
    AccessPolicy policy(s, {}, {}, {}, unmasks, sensitive);
    EXPECT_EQ(policy.MaskedFields("leads", c.record, now), c.masked) << c.name;
  }
  FieldDef phone;
  phone.type = FieldType::kPhone;
  EXPECT_EQ(MaskValue(phone, "+8613812345678"), "138****5678");
  FieldDef text;
  EXPECT_EQ(MaskValue(text, "110105199001011234"), "110***********1234");
  EXPECT_EQ(MaskValue(text, "张三"), "**");
  EXPECT_EQ(MaskValue(text, "王小明"), "王*明");
  FieldDef money;
  money.type = FieldType::kMoney;
  EXPECT_EQ(MaskValue(money, 123400), nullptr);
}

}  // namespace
}  // namespace lf
