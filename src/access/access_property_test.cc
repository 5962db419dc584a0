// Property test: for random org charts, records, role rights, restricting rules and grants, the
// in-memory decision (AccessPolicy::Decide) and the SQL predicate (AccessPolicy::Predicate) run
// by a real SQLite database select exactly the same records for every entity and action.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "access/policy.h"
#include "base/crypto.h"
#include "schema/metadata.h"
#include "storage/database.h"

namespace lf {
namespace {

using json = nlohmann::json;

class AccessPropertyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("lf-access-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    auto db = Database::Open("sqlite:" + (dir_ / "t.db").string());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(EnsureEntityTables(*db_).ok());
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Exec(const std::string& sql, std::vector<Value> params) {
    Status st = db_->Write([&](Tx& tx) { return tx.Exec(sql, params).status(); });
    ASSERT_TRUE(st.ok()) << st.ToString() << " in " << sql;
  }
  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(AccessPropertyTest, DecideAgreesWithTheSqlPredicate) {
  std::mt19937 rng(20261124);
  auto pick = [&](size_t n) { return size_t(std::uniform_int_distribution<size_t>(0, n - 1)(rng)); };
  auto coin = [&](int pct) { return int(pick(100)) < pct; };
  const std::string t = "t1";
  const int64_t now = 1'800'000'000'000;
  Exec("INSERT INTO tenants (id, name, created_at) VALUES (?, 'T', 0)", {t});
  // Departments: R / A / {A1, A2}, R / B.
  std::map<std::string, std::string> path = {{"R", "/R/"}, {"A", "/R/A/"}, {"A1", "/R/A/A1/"},
                                             {"A2", "/R/A/A2/"}, {"B", "/R/B/"}};
  for (auto& [id, p] : path) Exec("INSERT INTO departments (tenant_id, id, name, path, created_at) VALUES (?, ?, ?, ?, 0)", {t, id, id, p});
  std::vector<std::string> depts = {"R", "A", "A1", "A2", "B", ""};
  std::vector<std::string> users;
  std::map<std::string, std::string> user_dept, manager;
  for (int i = 0; i < 9; ++i) {
    std::string u = "u" + std::to_string(i);
    std::string d = depts[pick(depts.size())];
    Value m = nullptr;
    if (i > 0 && coin(70)) {
      manager[u] = users[pick(users.size())];
      m = manager[u];
    }
    Exec("INSERT INTO users (tenant_id, id, email, name, password_hash, role, department_id, manager_id, "
         "created_at, updated_at) VALUES (?, ?, ?, ?, 'x', 'sales', ?, ?, 0, 0)",
         {t, u, u + "@t", u, d.empty() ? Value(nullptr) : Value(d), m});
    users.push_back(u);
    user_dept[u] = d;
  }
  auto paths = std::make_shared<std::unordered_map<std::string, std::string>>();
  for (auto& [u, d] : user_dept) (*paths)[u] = d.empty() ? "" : path[d];

  // Records.
  const std::vector<std::string> tags = {"战略客户", "VIP", "重点"};
  auto random_tags = [&] {
    json a = json::array();
    for (const auto& tg : tags) if (coin(30)) a.push_back(tg);
    return a;
  };
  auto owner = [&]() -> Value { return coin(15) ? Value(nullptr) : Value(users[pick(users.size())]); };
  std::map<std::string, std::vector<std::string>> ids;
  auto add = [&](const std::string& entity, const std::string& id, std::vector<std::pair<std::string, Value>> cols) {
    std::string names = "tenant_id, id, created_at, updated_at, name", marks = "?, ?, 0, 0, ?";
    std::vector<Value> params{t, id, "n" + std::to_string(pick(4))};
    if (entity == "activities") {
      names = "tenant_id, id, created_at, updated_at, kind";
      params[2] = std::string("call");
    }
    for (auto& [c, v] : cols) {
      names += ", " + c;
      marks += ", ?";
      params.push_back(v);
    }
    Exec("INSERT INTO " + entity + " (" + names + ") VALUES (" + marks + ")", params);
    ids[entity].push_back(id);
  };
  auto ref = [&](const std::string& entity) -> Value {
    return coin(25) || ids[entity].empty() ? Value(nullptr) : Value(ids[entity][pick(ids[entity].size())]);
  };
  for (int i = 0; i < 12; ++i) add("customers", "c" + std::to_string(i), {{"owner_id", owner()}, {"tags", random_tags().dump()}});
  for (int i = 0; i < 30; ++i)
    add("leads", "l" + std::to_string(i), {{"owner_id", owner()}, {"tags", random_tags().dump()},
                                            {"pool_id", coin(20) ? Value("pool1") : Value(nullptr)},
                                            {"customer_id", ref("customers")}});
  for (int i = 0; i < 20; ++i)
    add("contracts", "k" + std::to_string(i), {{"owner_id", owner()}, {"tags", random_tags().dump()},
                                                {"customer_id", ref("customers")}});
  for (int i = 0; i < 30; ++i)
    add("activities", "a" + std::to_string(i), {{"owner_id", owner()}, {"lead_id", ref("leads")},
                                                 {"customer_id", ref("customers")}});

  auto schema_r = SchemaRegistry(*db_).Get(t, 1);
  ASSERT_TRUE(schema_r.ok());
  auto schema = *schema_r;
  // Every row as stored-form facts.
  std::map<std::string, std::map<std::string, json>> rows;
  for (const auto& [entity, list] : ids) {
    const auto* e = schema->Find(entity);
    ASSERT_TRUE(db_->Read([&](Connection& c) -> Status {
      LF_ASSIGN(auto r, c.Query("SELECT * FROM " + entity + " WHERE tenant_id = ?", {t}));
      for (const auto& row : r.rows) {
        json v = json::object();
        for (size_t i = 0; i < r.columns.size(); ++i) {
          const auto& cell = row[i];
          const FieldDef* f = e->Find(r.columns[i]);
          if (!f) continue;
          if (IsNull(cell)) v[f->name] = nullptr;
          else if (f->type == FieldType::kTags) v[f->name] = json::parse(AsText(cell));
          else if (auto* n = std::get_if<int64_t>(&cell)) v[f->name] = *n;
          else v[f->name] = AsText(cell);
        }
        rows[entity][v["id"].get<std::string>()] = v;
      }
      return Status::Ok();
    }).ok());
  }
  std::function<RecordFacts(const TenantSchema::Entity&, const json&, int)> facts =
      [&](const TenantSchema::Entity& e, const json& v, int depth) {
        RecordFacts f;
        f.values = &v;
        if (depth > 1) return f;  // the record, its parents and theirs (via rules of parents)
        for (const auto& fd : e.fields) {
          if (fd.type != FieldType::kReference || !v.contains(fd.name) || !v[fd.name].is_string()) continue;
          auto& target = rows[fd.ref_entity];
          auto it = target.find(v[fd.name].get<std::string>());
          if (it != target.end()) f.parents[fd.name] = facts(*schema->Find(fd.ref_entity), it->second, depth + 1);
        }
        return f;
      };

  const std::vector<std::string> entities = {"leads", "customers", "contracts", "activities"};
  const std::map<std::string, std::vector<std::string>> refs = {
      {"leads", {"customer_id"}}, {"contracts", {"customer_id"}}, {"activities", {"lead_id", "customer_id"}},
      {"customers", {}}};
  const std::vector<Scope> scopes = {Scope::kNone, Scope::kSelf, Scope::kSubordinates, Scope::kDepartment,
                                     Scope::kDepartmentTree, Scope::kAll};
  int compared = 0, allowed = 0;
  for (int round = 0; round < 150; ++round) {
    PolicySubject s;
    s.tenant_id = t;
    s.user_id = users[pick(users.size())];
    s.role = coin(50) ? "sales" : "supervisor";
    s.department_id = user_dept[s.user_id];
    s.department_path = s.department_id.empty() ? "" : path[s.department_id];
    s.user_paths = paths;
    for (const auto& u : users) {  // transitive reports
      for (std::string m = manager.count(u) ? manager[u] : ""; !m.empty(); m = manager.count(m) ? manager[m] : "")
        if (m == s.user_id) { s.subordinates.push_back(u); break; }
    }
    RoleRights rights;
    for (const auto& e : entities) {
      if (coin(10)) continue;
      EntityRights er;
      for (Action a : {Action::kRead, Action::kUpdate, Action::kExport})
        if (coin(75)) er.actions.insert(a);
      er.scope = scopes[pick(scopes.size())];
      for (const auto& r : refs.at(e)) if (coin(40)) er.inherit.push_back(r);
      if (e == "leads" && coin(50)) er.shared_field = "pool_id";
      rights.entities[e] = er;
    }
    std::vector<AccessRule> rules;
    for (int i = 0, n = int(pick(4)); i < n; ++i) {
      AccessRule r;
      r.id = "r" + std::to_string(i);
      r.entity = entities[pick(entities.size())];
      int kind = int(pick(3));
      if (kind == 0) r.tag = tags[pick(tags.size())];
      if (kind == 1 && !refs.at(r.entity).empty()) {
        r.tag = tags[pick(tags.size())];
        r.via = refs.at(r.entity)[pick(refs.at(r.entity).size())];
      }
      if (r.tag.empty()) {
        r.field = r.entity == "activities" ? "kind" : "name";
        r.values = {r.entity == "activities" ? "call" : "n" + std::to_string(pick(4))};
      }
      if (coin(30)) r.departments.push_back(depts[pick(depts.size() - 1)]);
      if (coin(20)) r.roles.push_back("supervisor");
      if (coin(20)) r.users.push_back(users[pick(users.size())]);
      if (coin(50)) r.user_fields.push_back("owner_id");
      r.enabled = coin(90);
      rules.push_back(r);
    }
    std::vector<Grant> grants;
    for (int i = 0, n = int(pick(5)); i < n; ++i) {
      Grant g;
      g.id = "g" + std::to_string(i);
      g.entity = coin(50) ? "leads" : "customers";
      g.record_id = ids[g.entity][pick(ids[g.entity].size())];
      g.mode = coin(50) ? "read" : "write";
      if (coin(50)) g.relations.push_back("activities");
      if (g.entity == "customers" && coin(50)) g.relations.push_back("contracts");
      g.expires_at = now + (coin(70) ? 1000 : -1000);
      grants.push_back(g);
    }
    std::set<std::string> perms;
    if (coin(5)) perms.insert("*");
    s.permissions = perms;
    AccessPolicy policy(s, rights, rules, grants, {}, {});
    for (const auto& en : entities) {
      const auto* e = schema->Find(en);
      for (Action a : {Action::kRead, Action::kUpdate, Action::kExport}) {
        SqlClause pred = policy.Predicate(*schema, *e, a, db_->dialect(), now);
        std::set<std::string> by_sql, by_memory;
        ASSERT_TRUE(db_->Read([&](Connection& c) -> Status {
          std::vector<Value> params{t};
          params.insert(params.end(), pred.params.begin(), pred.params.end());
          LF_ASSIGN(auto r, c.Query("SELECT id FROM " + en + " WHERE tenant_id = ?" +
                                        (pred.sql.empty() ? "" : " AND (" + pred.sql + ")"),
                                    params));
          for (const auto& row : r.rows) by_sql.insert(AsText(row[0]));
          return Status::Ok();
        }).ok()) << pred.sql;
        for (const auto& [id, v] : rows[en])
          if (policy.Decide(*schema, *e, facts(*e, v, 0), a, now).allow) by_memory.insert(id);
        ASSERT_EQ(by_sql, by_memory) << "round " << round << " entity " << en << " action "
                                     << ActionName(a) << " user " << s.user_id << "\nSQL: " << pred.sql;
        ++compared;
        allowed += int(by_sql.size());
      }
    }
  }
  EXPECT_EQ(compared, 150 * 4 * 3);
  EXPECT_GT(allowed, 1000);  // the generator reaches both outcomes, not only "deny"
}

}  // namespace
}  // namespace lf
