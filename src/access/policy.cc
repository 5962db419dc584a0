// Implements access/policy.h: parsing policy data and compiling it into SQL predicates and masks.
#include "access/policy.h"

#include <algorithm>

namespace lf {
namespace {

using json = nlohmann::json;

constexpr std::pair<Action, const char*> kActions[] = {{Action::kCreate, "create"},
                                                       {Action::kRead, "read"},
                                                       {Action::kUpdate, "update"},
                                                       {Action::kArchive, "archive"},
                                                       {Action::kExport, "export"}};
constexpr std::pair<Scope, const char*> kScopes[] = {
    {Scope::kNone, "none"},           {Scope::kSelf, "self"},
    {Scope::kSubordinates, "subordinates"}, {Scope::kDepartment, "department"},
    {Scope::kDepartmentTree, "department_tree"}, {Scope::kAll, "all"}};

Status BadPolicy(const std::string& field, const std::string& en, const std::string& zh) {
  return Status::Error(ErrorKind::kValidation, "access.bad_policy", en, zh, field);
}

Result<std::vector<std::string>> StringList(const json& j, const std::string& key) {
  std::vector<std::string> out;
  if (!j.contains(key) || j[key].is_null()) return out;
  if (!j[key].is_array() || j[key].size() > 1000)
    return BadPolicy(key, "'" + key + "' must be a list of strings", "「" + key + "」须为字符串列表");
  for (const auto& x : j[key]) {
    if (!x.is_string() || x.get<std::string>().empty())
      return BadPolicy(key, "'" + key + "' must be a list of strings", "「" + key + "」须为字符串列表");
    out.push_back(x.get<std::string>());
  }
  return out;
}

Status OnlyKeys(const json& j, std::initializer_list<const char*> keys, const std::string& where) {
  for (auto it = j.begin(); it != j.end(); ++it)
    if (std::none_of(keys.begin(), keys.end(), [&](const char* k) { return it.key() == k; }))
      return Status::Error(ErrorKind::kValidation, "validation.unknown_field",
                           "unknown field '" + it.key() + "' in " + where,
                           where + " 中有未知字段 '" + it.key() + "'", it.key());
  return Status::Ok();
}

// "a AND b AND …"; empty clauses are dropped.
SqlClause AllOf(const std::vector<SqlClause>& parts) {
  SqlClause out;
  for (const auto& p : parts) {
    if (p.sql.empty()) continue;
    out.sql += out.sql.empty() ? "(" : " AND (";
    out.sql += p.sql + ")";
    out.params.insert(out.params.end(), p.params.begin(), p.params.end());
  }
  return out;
}

// grant OR ((scope OR shared OR inherit…) AND every rule): the parts as one condition.
SqlClause Visible(const AccessPolicy::Parts& p) {
  std::vector<SqlClause> visible = p.grants;
  if (p.entity_right) visible.push_back(AllOf({AnyOf(p.base), AllOf(p.rules)}));
  return AnyOf(visible);
}

std::string Marks(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += i ? ", ?" : "?";
  return s;
}

// UTF-8 string → code points as byte strings.
std::vector<std::string> CodePoints(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace

// "a OR b OR …" of clauses; an empty clause (everything) makes the whole disjunction empty.
SqlClause AnyOf(const std::vector<SqlClause>& parts) {
  SqlClause out;
  if (parts.empty()) {
    out.sql = "1 = 0";
    return out;
  }
  for (const auto& p : parts)
    if (p.sql.empty()) return SqlClause{};
  for (const auto& p : parts) {
    out.sql += out.sql.empty() ? "(" : " OR (";
    out.sql += p.sql + ")";
    out.params.insert(out.params.end(), p.params.begin(), p.params.end());
  }
  return out;
}

const char* ActionName(Action a) {
  for (auto& [k, v] : kActions)
    if (k == a) return v;
  return "?";
}
std::optional<Action> ParseAction(std::string_view s) {
  for (auto& [k, v] : kActions)
    if (s == v) return k;
  return std::nullopt;
}
const char* ScopeName(Scope s) {
  for (auto& [k, v] : kScopes)
    if (k == s) return v;
  return "?";
}
std::optional<Scope> ParseScope(std::string_view s) {
  for (auto& [k, v] : kScopes)
    if (s == v) return k;
  return std::nullopt;
}

const EntityRights* RoleRights::For(const std::string& entity) const {
  if (auto it = entities.find(entity); it != entities.end()) return &it->second;
  if (auto it = entities.find("*"); it != entities.end()) return &it->second;
  return nullptr;
}

Result<RoleRights> ParseRoleRights(const json& j, const TenantSchema& schema) {
  if (!j.is_object())
    return BadPolicy("entity_access", "entity_access must be an object of entities",
                     "entity_access 须为按实体的对象");
  RoleRights out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& name = it.key();
    const TenantSchema::Entity* e = name == "*" ? nullptr : schema.Find(name);
    if (name != "*" && !e)
      return BadPolicy("entity_access", "unknown entity '" + name + "'", "未知实体 '" + name + "'");
    const json& v = it.value();
    if (!v.is_object())
      return BadPolicy(name, "the rights of '" + name + "' must be an object", "「" + name + "」的权限须为对象");
    LF_TRY(OnlyKeys(v, {"actions", "scope", "inherit", "shared_field"}, name));
    EntityRights r;
    LF_ASSIGN(auto actions, StringList(v, "actions"));
    for (const auto& a : actions) {
      auto parsed = ParseAction(a);
      if (!parsed)
        return BadPolicy("actions", "unknown action '" + a + "' (create, read, update, archive, export)",
                         "未知操作 '" + a + "'(create、read、update、archive、export)");
      r.actions.insert(*parsed);
    }
    std::string scope = v.value("scope", "none");
    if (!v.value("scope", json("none")).is_string() || !ParseScope(scope))
      return BadPolicy("scope",
                       "unknown scope '" + scope +
                           "' (none, self, subordinates, department, department_tree, all)",
                       "未知数据范围 '" + scope + "'(none、self、subordinates、department、department_tree、all)");
    r.scope = *ParseScope(scope);
    LF_ASSIGN(r.inherit, StringList(v, "inherit"));
    if (v.contains("shared_field")) {
      if (!v["shared_field"].is_string())
        return BadPolicy("shared_field", "shared_field must be a field name", "shared_field 须为字段名");
      r.shared_field = v["shared_field"].get<std::string>();
    }
    if (e) {
      for (const auto& f : r.inherit) {
        const FieldDef* fd = e->Find(f);
        if (!fd || fd->type != FieldType::kReference)
          return BadPolicy("inherit", "'" + f + "' is not a reference field of " + name,
                           "'" + f + "' 不是「" + name + "」的关联字段");
      }
      if (!r.shared_field.empty() && !e->Find(r.shared_field))
        return BadPolicy("shared_field", "'" + r.shared_field + "' is not a field of " + name,
                         "'" + r.shared_field + "' 不是「" + name + "」的字段");
    }
    out.entities[name] = std::move(r);
  }
  return out;
}

json RoleRightsToJson(const RoleRights& r) {
  json out = json::object();
  for (const auto& [name, er] : r.entities) {
    json actions = json::array();
    for (const auto& [a, n] : kActions)
      if (er.actions.count(a)) actions.push_back(n);
    json v = {{"actions", actions}, {"scope", ScopeName(er.scope)}};
    if (!er.inherit.empty()) v["inherit"] = er.inherit;
    if (!er.shared_field.empty()) v["shared_field"] = er.shared_field;
    out[name] = std::move(v);
  }
  return out;
}

Result<AccessRule> ParseAccessRule(const json& body, const TenantSchema& schema) {
  if (!body.is_object()) return BadPolicy("", "the rule must be an object", "规则须为对象");
  LF_TRY(OnlyKeys(body, {"name", "entity", "enabled", "match", "allow"}, "rule"));
  AccessRule r;
  if (!body.contains("name") || !body["name"].is_string() || body["name"].get<std::string>().empty() ||
      body["name"].get<std::string>().size() > 200)
    return BadPolicy("name", "name is required (1–200 bytes)", "名称必填(1–200 字节)");
  r.name = body["name"].get<std::string>();
  if (!body.contains("entity") || !body["entity"].is_string())
    return BadPolicy("entity", "entity is required", "entity 必填");
  r.entity = body["entity"].get<std::string>();
  const TenantSchema::Entity* e = schema.Find(r.entity);
  if (!e) return BadPolicy("entity", "unknown entity '" + r.entity + "'", "未知实体 '" + r.entity + "'");
  if (body.contains("enabled")) {
    if (!body["enabled"].is_boolean())
      return BadPolicy("enabled", "enabled must be true or false", "enabled 须为 true 或 false");
    r.enabled = body["enabled"].get<bool>();
  }
  const json& m = body.value("match", json());
  if (!m.is_object()) return BadPolicy("match", "match is required", "match 必填");
  LF_TRY(OnlyKeys(m, {"tag", "via", "field", "in"}, "match"));
  if (m.contains("tag")) {
    if (!m["tag"].is_string() || m["tag"].get<std::string>().empty() || m.contains("field"))
      return BadPolicy("match", "match has either a tag (with optional via) or a field with in",
                       "match 须为 tag(可选 via)或 field + in 之一");
    r.tag = m["tag"].get<std::string>();
    if (m.contains("via")) {
      if (!m["via"].is_string()) return BadPolicy("via", "via must be a field name", "via 须为字段名");
      r.via = m["via"].get<std::string>();
      const FieldDef* f = e->Find(r.via);
      if (!f || f->type != FieldType::kReference)
        return BadPolicy("via", "'" + r.via + "' is not a reference field of " + r.entity,
                         "'" + r.via + "' 不是「" + r.entity + "」的关联字段");
    }
  } else if (m.contains("field")) {
    if (!m["field"].is_string()) return BadPolicy("field", "field must be a field name", "field 须为字段名");
    r.field = m["field"].get<std::string>();
    const FieldDef* f = e->Find(r.field);
    if (!f || f->type == FieldType::kTags || f->type == FieldType::kMultiEnum)
      return BadPolicy("field", "'" + r.field + "' is not a single-valued field of " + r.entity,
                       "'" + r.field + "' 不是「" + r.entity + "」的单值字段");
    LF_ASSIGN(r.values, StringList(m, "in"));
    if (r.values.empty()) return BadPolicy("in", "in needs at least one value", "in 至少需要一个值");
  } else {
    return BadPolicy("match", "match needs a tag or a field", "match 须含 tag 或 field");
  }
  const json& a = body.value("allow", json());
  if (!a.is_object()) return BadPolicy("allow", "allow is required", "allow 必填");
  LF_TRY(OnlyKeys(a, {"departments", "roles", "users", "user_fields"}, "allow"));
  LF_ASSIGN(r.departments, StringList(a, "departments"));
  LF_ASSIGN(r.roles, StringList(a, "roles"));
  LF_ASSIGN(r.users, StringList(a, "users"));
  LF_ASSIGN(r.user_fields, StringList(a, "user_fields"));
  for (const auto& uf : r.user_fields) {
    const FieldDef* f = e->Find(uf);
    if (!f || f->type != FieldType::kUser)
      return BadPolicy("user_fields", "'" + uf + "' is not a user field of " + r.entity,
                       "'" + uf + "' 不是「" + r.entity + "」的人员字段");
  }
  return r;
}

json AccessRuleToJson(const AccessRule& r) {
  json match = json::object();
  if (!r.tag.empty()) {
    match["tag"] = r.tag;
    if (!r.via.empty()) match["via"] = r.via;
  } else {
    match["field"] = r.field;
    match["in"] = r.values;
  }
  return {{"id", r.id},
          {"name", r.name},
          {"entity", r.entity},
          {"enabled", r.enabled},
          {"match", match},
          {"allow",
           {{"departments", r.departments},
            {"roles", r.roles},
            {"users", r.users},
            {"user_fields", r.user_fields}}}};
}

AccessPolicy::AccessPolicy(PolicySubject subject, RoleRights rights, std::vector<AccessRule> rules,
                           std::vector<Grant> grants, std::vector<Unmask> unmasks,
                           std::map<std::string, std::set<std::string>> sensitive)
    : subject_(std::move(subject)),
      rights_(std::move(rights)),
      rules_(std::move(rules)),
      grants_(std::move(grants)),
      unmasks_(std::move(unmasks)),
      sensitive_(std::move(sensitive)) {
  superuser_ = subject_.permissions.count("*") > 0;
  unmask_all_ = superuser_ || subject_.permissions.count(kPermFieldsUnmask) > 0;
  for (const auto& r : rules_) {
    if (r.enabled && !r.tag.empty()) protected_tags_.insert(r.tag);
    if (!r.enabled || ExemptFrom(r)) continue;
    RuleIndex& idx = rule_index_[r.entity];
    if (!r.tag.empty() && r.via.empty()) idx.by_tag.emplace(r.tag, &r);
    else if (!r.tag.empty()) idx.by_via_tag[r.via].emplace(r.tag, &r);
    else for (const auto& v : r.values) idx.by_field_value[r.field].emplace(v, &r);
  }
  for (const auto& g : grants_) {
    grants_by_record_.emplace(g.record_id, &g);
    relation_grants_ |= !g.relations.empty();
  }
}

bool AccessPolicy::InScope(Scope s, const json& owner) const {
  const bool has_dept = !subject_.department_id.empty();
  if ((s == Scope::kDepartment || s == Scope::kDepartmentTree) && !has_dept) s = Scope::kSelf;
  if (s == Scope::kAll) return true;
  if (s == Scope::kNone || !owner.is_string()) return false;
  const std::string& o = owner.get_ref<const std::string&>();
  switch (s) {
    case Scope::kSelf: return o == subject_.user_id;
    case Scope::kSubordinates:
      return o == subject_.user_id ||
             std::find(subject_.subordinates.begin(), subject_.subordinates.end(), o) != subject_.subordinates.end();
    case Scope::kDepartment:
    case Scope::kDepartmentTree: {
      if (!subject_.user_paths) return false;
      auto it = subject_.user_paths->find(o);
      if (it == subject_.user_paths->end() || it->second.empty()) return false;
      return s == Scope::kDepartment ? it->second == subject_.department_path
                                     : it->second.rfind(subject_.department_path, 0) == 0;
    }
    default: return false;
  }
}

Decision AccessPolicy::Decide(const TenantSchema& schema, const TenantSchema::Entity& e,
                              const RecordFacts& facts, Action a, int64_t now) const {
  if (superuser_) return {true, "superuser", {}};
  return DecideOne(schema, e, facts, a, now, true);
}

Decision AccessPolicy::DecideOne(const TenantSchema& schema, const TenantSchema::Entity& e,
                                 const RecordFacts& facts, Action a, int64_t now,
                                 bool with_inherit) const {
  static const json kNull;
  const json& v = facts.values ? *facts.values : kNull;
  auto field = [&](const std::string& name) -> const json& {
    if (!v.is_object()) return kNull;
    auto it = v.find(name);
    return it == v.end() ? kNull : *it;
  };
  const std::string& name = e.def->name;
  const bool write = a == Action::kUpdate || a == Action::kArchive;
  auto live = [&](const Grant& g) { return g.expires_at > now && (!write || g.mode == "write"); };
  // Grants on the record, or through relations on a record it refers to.
  if (const json& id = field("id"); id.is_string()) {
    auto [b, end] = grants_by_record_.equal_range(id.get_ref<const std::string&>());
    for (auto it = b; it != end; ++it)
      if (it->second->entity == name && live(*it->second)) return {true, "grant", {}};
  }
  for (const auto& f : e.fields) {
    if (!relation_grants_) break;
    if (f.type != FieldType::kReference) continue;
    const json& ref = field(f.name);
    if (!ref.is_string()) continue;
    auto [b, end] = grants_by_record_.equal_range(ref.get_ref<const std::string&>());
    for (auto it = b; it != end; ++it) {
      const Grant& g = *it->second;
      if (g.entity == f.ref_entity && live(g) &&
          std::find(g.relations.begin(), g.relations.end(), name) != g.relations.end())
        return {true, "grant", f.name};
    }
  }
  const EntityRights* r = rights_.For(name);
  bool right = r && r->actions.count(a == Action::kExport ? Action::kRead : a) > 0;
  if (a == Action::kExport) right = right && r->actions.count(Action::kExport);
  if (!right) return {false, "role", {}};
  Decision base{true, "", {}};
  if (e.Find("owner_id") ? InScope(r->scope, field("owner_id")) : r->scope == Scope::kAll)
    base = {true, "scope", ScopeName(r->scope)};
  if (!*base.kind && !r->shared_field.empty() && e.Find(r->shared_field) && !field(r->shared_field).is_null())
    base = {true, "shared", r->shared_field};
  if (!*base.kind && with_inherit && !write) {
    for (const auto& fname : r->inherit) {
      const FieldDef* f = e.Find(fname);
      const TenantSchema::Entity* parent = f ? schema.Find(f->ref_entity) : nullptr;
      auto pf = facts.parents.find(fname);
      if (!parent || pf == facts.parents.end() || !field(fname).is_string()) continue;
      if (DecideOne(schema, *parent, pf->second, Action::kRead, now, false).allow) {
        base = {true, "inherit", fname};
        break;
      }
    }
  }
  if (!*base.kind) return {false, "scope", {}};
  // Restricting rules: a matching rule denies unless a user field of the record names the user.
  auto passes = [&](const AccessRule& rule) {
    for (const auto& uf : rule.user_fields) {
      const json& u = field(uf);
      if (u.is_string() && u.get_ref<const std::string&>() == subject_.user_id) return true;
    }
    return false;
  };
  auto it = rule_index_.find(name);
  if (it != rule_index_.end()) {
    const RuleIndex& idx = it->second;
    const json& tags = field("tags");
    if (tags.is_array())
      for (const auto& t : tags) {
        if (!t.is_string()) continue;
        auto [b, end] = idx.by_tag.equal_range(t.get_ref<const std::string&>());
        for (auto r2 = b; r2 != end; ++r2)
          if (!passes(*r2->second)) return {false, "rule", r2->second->id};
      }
    for (const auto& [via, by_tag] : idx.by_via_tag) {
      if (!field(via).is_string() || by_tag.empty()) continue;
      auto pf = facts.parents.find(via);
      // Fail closed: a rule that may hide the record cannot be checked without the parent.
      if (pf == facts.parents.end() || !pf->second.values)
        return {false, "rule", by_tag.begin()->second->id};
      auto pt = pf->second.values->find("tags");
      if (pt == pf->second.values->end() || !pt->is_array()) continue;
      for (const auto& t : *pt) {
        if (!t.is_string()) continue;
        auto [b, end] = by_tag.equal_range(t.get_ref<const std::string&>());
        for (auto r2 = b; r2 != end; ++r2)
          if (!passes(*r2->second)) return {false, "rule", r2->second->id};
      }
    }
    for (const auto& [fname, by_value] : idx.by_field_value) {
      const json& fv = field(fname);
      if (fv.is_null()) continue;
      std::string key = fv.is_string() ? fv.get<std::string>() : fv.dump();
      auto [b, end] = by_value.equal_range(key);
      for (auto r2 = b; r2 != end; ++r2)
        if (!passes(*r2->second)) return {false, "rule", r2->second->id};
    }
  }
  return base;
}

bool AccessPolicy::Allows(const std::string& entity, Action a) const {
  if (superuser_) return true;
  const EntityRights* r = rights_.For(entity);
  return r && r->actions.count(a) > 0;
}

SqlClause AccessPolicy::ScopeClause(Scope s, const std::string& column) const {
  SqlClause c;
  c.reason = std::string("scope:") + ScopeName(s);
  const bool has_dept = !subject_.department_id.empty();
  if ((s == Scope::kDepartment || s == Scope::kDepartmentTree) && !has_dept) s = Scope::kSelf;
  switch (s) {
    case Scope::kAll: break;
    case Scope::kNone: c.sql = "1 = 0"; break;
    case Scope::kSelf:
      c.sql = column + " = ?";
      c.params = {subject_.user_id};
      break;
    case Scope::kSubordinates:
      c.sql = column + " IN (" + Marks(subject_.subordinates.size() + 1) + ")";
      c.params.push_back(subject_.user_id);
      for (const auto& u : subject_.subordinates) c.params.push_back(u);
      break;
    case Scope::kDepartment:
      c.sql = column + " IN (SELECT id FROM users WHERE tenant_id = ? AND department_id = ?)";
      c.params = {subject_.tenant_id, subject_.department_id};
      break;
    case Scope::kDepartmentTree:
      c.sql = column +
              " IN (SELECT u.id FROM users u JOIN departments dp ON dp.tenant_id = u.tenant_id AND "
              "dp.id = u.department_id WHERE u.tenant_id = ? AND dp.path LIKE ?)";
      c.params = {subject_.tenant_id, subject_.department_path + "%"};
      break;
  }
  return c;
}

bool AccessPolicy::ExemptFrom(const AccessRule& r) const {
  if (std::find(r.roles.begin(), r.roles.end(), subject_.role) != r.roles.end()) return true;
  if (std::find(r.users.begin(), r.users.end(), subject_.user_id) != r.users.end()) return true;
  for (const auto& d : r.departments)
    if (subject_.department_path.find("/" + d + "/") != std::string::npos) return true;
  return false;
}

AccessPolicy::Parts AccessPolicy::BuildParts(const TenantSchema& schema,
                                             const TenantSchema::Entity& e, Action a,
                                             const Dialect& d, int64_t now,
                                             bool with_inherit) const {
  Parts parts;
  const std::string& name = e.def->name;
  const bool write = a == Action::kUpdate || a == Action::kArchive;
  // Live grants on the record itself or, through `relations`, on a record it refers to.
  std::vector<Value> direct;
  std::map<std::string, std::vector<Value>> by_field;
  for (const auto& g : grants_) {
    if (g.expires_at <= now || (write && g.mode != "write")) continue;
    if (g.entity == name) direct.push_back(g.record_id);
    if (std::find(g.relations.begin(), g.relations.end(), name) != g.relations.end())
      for (const auto& f : e.fields)
        if (f.type == FieldType::kReference && f.ref_entity == g.entity)
          by_field[f.name].push_back(g.record_id);
  }
  if (!direct.empty())
    parts.grants.push_back({"id IN (" + Marks(direct.size()) + ")", direct, "grant"});
  for (auto& [field, ids] : by_field)
    parts.grants.push_back({field + " IN (" + Marks(ids.size()) + ")", ids, "grant:" + field});

  const EntityRights* r = rights_.For(name);
  parts.entity_right = r && r->actions.count(a == Action::kExport ? Action::kRead : a) > 0;
  if (a == Action::kExport) parts.entity_right = parts.entity_right && r->actions.count(Action::kExport);
  if (!parts.entity_right) return parts;
  if (e.Find("owner_id")) {
    parts.base.push_back(ScopeClause(r->scope, "owner_id"));
  } else {
    parts.base.push_back({r->scope == Scope::kAll ? "" : "1 = 0", {}, std::string("scope:") + ScopeName(r->scope)});
  }
  if (!r->shared_field.empty())
    if (const FieldDef* f = e.Find(r->shared_field))
      // Shared records (the public pool) are few: let the planner walk their index.
      parts.base.push_back({d.Rare(FieldSqlExpr(*f, d) + " IS NOT NULL"), {}, "shared:" + f->name});
  if (with_inherit && !write) {
    for (const auto& fname : r->inherit) {
      const FieldDef* f = e.Find(fname);
      const TenantSchema::Entity* parent = f ? schema.Find(f->ref_entity) : nullptr;
      if (!parent) continue;
      SqlClause pc = Visible(BuildParts(schema, *parent, Action::kRead, d, now, false));
      SqlClause c{fname + " IN (SELECT id FROM " + parent->def->name + " WHERE tenant_id = ?" +
                      (pc.sql.empty() ? "" : " AND (" + pc.sql + ")") + ")",
                  {subject_.tenant_id}, "inherit:" + fname};
      c.params.insert(c.params.end(), pc.params.begin(), pc.params.end());
      parts.base.push_back(std::move(c));
    }
  }
  for (const auto& rule : rules_) {
    if (!rule.enabled || rule.entity != name || ExemptFrom(rule)) continue;
    SqlClause match;
    if (!rule.tag.empty() && rule.via.empty()) {
      match = {d.JsonArrayContains("tags"), {rule.tag}, ""};
    } else if (!rule.tag.empty()) {
      const FieldDef* f = e.Find(rule.via);
      const TenantSchema::Entity* parent = f ? schema.Find(f->ref_entity) : nullptr;
      if (!parent) continue;
      match = {rule.via + " IN (SELECT id FROM " + parent->def->name + " WHERE tenant_id = ? AND " +
                   d.JsonArrayContains("tags") + ")",
               {subject_.tenant_id, rule.tag}, ""};
    } else {
      const FieldDef* f = e.Find(rule.field);
      if (!f) continue;
      match.sql = FieldSqlExpr(*f, d) + " IN (" + Marks(rule.values.size()) + ")";
      for (const auto& v : rule.values) match.params.push_back(v);
    }
    SqlClause c{"NOT COALESCE((" + match.sql + "), FALSE)", match.params, "rule:" + rule.id};
    for (const auto& uf : rule.user_fields) {
      if (!e.Find(uf)) continue;
      c.sql += " OR " + uf + " = ?";
      c.params.push_back(subject_.user_id);
    }
    parts.rules.push_back(std::move(c));
  }
  return parts;
}

AccessPolicy::Parts AccessPolicy::Explain(const TenantSchema& schema, const TenantSchema::Entity& e,
                                          Action a, const Dialect& d, int64_t now) const {
  return BuildParts(schema, e, a, d, now, true);
}

std::vector<SqlClause> AccessPolicy::Disjuncts(const TenantSchema& schema, const TenantSchema::Entity& e,
                                               Action a, const Dialect& d, int64_t now) const {
  if (superuser_) return {SqlClause{"", {}, "superuser"}};
  Parts p = BuildParts(schema, e, a, d, now, true);
  std::vector<SqlClause> out = p.grants;
  if (p.entity_right) {
    SqlClause rules = AllOf(p.rules);
    for (const auto& b : p.base) {
      if (b.sql.empty() && rules.sql.empty()) return {SqlClause{"", {}, b.reason}};  // every row
      SqlClause c = AllOf({b, rules});
      c.reason = b.reason;
      out.push_back(std::move(c));
    }
  }
  if (out.empty()) out.push_back(SqlClause{"1 = 0", {}, "none"});
  return out;
}

SqlClause AccessPolicy::Predicate(const TenantSchema& schema, const TenantSchema::Entity& e,
                                  Action a, const Dialect& d, int64_t now) const {
  return AnyOf(Disjuncts(schema, e, a, d, now));
}

SqlClause AccessPolicy::UserInScope(const std::string& entity, Action a,
                                    const std::string& column) const {
  if (superuser_) return SqlClause{};
  const EntityRights* r = rights_.For(entity);
  if (!r || !r->actions.count(a)) return SqlClause{"1 = 0", {}, "no right"};
  return ScopeClause(r->scope, column);
}

const std::set<std::string>& AccessPolicy::Sensitive(const std::string& entity) const {
  static const std::set<std::string> kNone;
  auto it = sensitive_.find(entity);
  return it == sensitive_.end() ? kNone : it->second;
}

std::set<std::string> AccessPolicy::MaskedFields(const std::string& entity, const std::string& id,
                                                 int64_t now) const {
  if (unmask_all_) return {};
  std::set<std::string> out = Sensitive(entity);
  if (out.empty()) return out;
  for (const auto& u : unmasks_)
    if (u.entity == entity && u.record_id == id && u.expires_at > now)
      for (const auto& f : u.fields) out.erase(f);
  return out;
}

std::string AccessPolicy::UnmaskingRequest(const std::string& entity, const std::string& id,
                                           const std::string& field, int64_t now) const {
  for (const auto& u : unmasks_)
    if (u.entity == entity && u.record_id == id && u.expires_at > now && u.fields.count(field))
      return u.request_id;
  return "";
}

json MaskValue(const FieldDef& f, const json& v) {
  if (v.is_null()) return v;
  if (!v.is_string()) return nullptr;
  std::string s = v.get<std::string>();
  if (f.type == FieldType::kPhone && s.rfind("+86", 0) == 0) s = s.substr(3);
  auto cps = CodePoints(s);
  size_t n = cps.size(), keep_head = 0, keep_tail = 0;
  if (n >= 8) {
    keep_head = 3;
    keep_tail = 4;
  } else if (n >= 3) {
    keep_head = 1;
    keep_tail = 1;
  }
  std::string out;
  for (size_t i = 0; i < n; ++i) out += i < keep_head || i >= n - keep_tail ? cps[i] : "*";
  return out;
}

}  // namespace lf
