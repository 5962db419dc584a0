// The rules engine on a real SQLite database with an injected clock: a replay after a lost
// checkpoint runs no action twice, a timer due while "down" fires once on the next start, and two
// engines on one database fire a cron slot once.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "automation/automation.h"
#include "leads/lead_service.h"

namespace lf::automation {
namespace {

using json = nlohmann::json;

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("lf-engine-" + std::to_string(getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    auto db = Database::Open("sqlite:" + (dir_ / "t.db").string());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(EnsureEntityTables(*db_).ok());
    events_ = std::make_unique<EventLog>(clock_, &bus_);
    schemas_ = std::make_unique<SchemaRegistry>(*db_);
    identity_ = std::make_unique<IdentityService>(*db_, *events_, clock_);
    access_ = std::make_unique<AccessService>(*db_, *events_, *schemas_, *identity_, clock_);
    records_ = std::make_unique<RecordService>(*db_, *events_, *schemas_, *access_, clock_);
    leads_ = std::make_unique<LeadService>(*db_, *events_, *records_, clock_);
    auto ids = identity_->CreateTenant({"T", "Asia/Shanghai", "admin@t.test", "管理员", "correct-horse-9"});
    ASSERT_TRUE(ids.ok()) << ids.status().ToString();
    auto p = identity_->PrincipalFor(ids->tenant_id, ids->admin_user_id);
    ASSERT_TRUE(p.ok());
    admin_ = *p;
  }
  void TearDown() override {
    leads_.reset();
    records_.reset();
    db_->Close();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  // A fresh set of automation services, as a (re)started server process has.
  std::unique_ptr<Automation> Start() {
    return std::make_unique<Automation>(*db_, bus_, *events_, *schemas_, *identity_, *records_,
                                        leads_->assignment(), clock_);
  }
  std::string Rule(Automation& a, const json& body) {
    auto r = a.store().Create(admin_, body);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? (*r)["id"].get<std::string>() : "";
  }
  std::string Lead(const json& body) {
    auto r = records_->Create(admin_, "leads", body);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->record["id"].get<std::string>() : "";
  }
  int64_t Count(const std::string& sql) {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](Connection& c) -> Status {
      LF_ASSIGN(auto rows, c.Query(sql));
      n = AsInt(rows.rows[0][0]);
      return Status::Ok();
    }).ok());
    return n;
  }
  void RunOnce(Automation& a) {
    auto r = a.engine().RunOnce();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  std::filesystem::path dir_;
  ManualClock clock_{1795000000000};  // 2026-11-18
  EventBus bus_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<EventLog> events_;
  std::unique_ptr<SchemaRegistry> schemas_;
  std::unique_ptr<IdentityService> identity_;
  std::unique_ptr<AccessService> access_;
  std::unique_ptr<RecordService> records_;
  std::unique_ptr<LeadService> leads_;
  Principal admin_;
};

TEST_F(EngineTest, ReplayAfterALostCheckpointRunsNoActionTwice) {
  auto a = Start();
  Rule(*a, json::parse(R"({"name": "r", "trigger": {"event": "lead.created"}, "condition": "lead.company == \"甲\"",
    "actions": [{"type": "add_tags", "tags": ["自动"]}, {"type": "create_task", "title": "跟进", "due": "2h",
                 "silent_period": "send"}, {"type": "set_color", "color": "red"}]})"));
  std::string id = Lead({{"name", "x"}, {"company", "甲"}});
  Lead({{"name", "y"}, {"company", "乙"}});
  RunOnce(*a);
  RunOnce(*a);  // the rule's own lead.updated events fire nothing more
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tasks WHERE lead_id = '" + id + "'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM rule_firings"), 3);
  int64_t events = Count("SELECT COUNT(*) FROM events");
  // The checkpoint is lost (as if the process died after the effects): everything is replayed.
  ASSERT_TRUE(db_->Write([](Tx& tx) { return tx.Exec("UPDATE consumer_checkpoints SET seq = 0").status(); }).ok());
  auto b = Start();
  RunOnce(*b);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM tasks WHERE lead_id = '" + id + "'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM rule_firings"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM events"), events);
  auto lead = records_->Get(admin_, "leads", id);
  ASSERT_TRUE(lead.ok());
  EXPECT_EQ((*lead)["tags"], json::array({"自动"}));
  EXPECT_EQ((*lead)["color"], "red");
}

TEST_F(EngineTest, TimerDueWhileDownFiresOnceOnTheNextStart) {
  auto a = Start();
  Rule(*a, json::parse(R"({"name": "t", "trigger": {"after": {"event": "lead.created", "delay": "1d",
    "unless": "activities_in(3d) > 0"}}, "actions": [{"type": "alert", "kind": "k", "title": "未跟进"}]})"));
  std::string quiet = Lead({{"name", "q"}});
  std::string busy = Lead({{"name", "b"}});
  RunOnce(*a);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM rule_timers WHERE state = 'pending'"), 2);
  ASSERT_TRUE(records_->Create(admin_, "activities", {{"kind", "call"}, {"lead_id", busy}}).ok());
  a.reset();                          // the server stops…
  clock_.Advance(2 * 86400 * 1000);   // …and the timers fall due while it is down (after the silent period)
  auto b = Start();
  RunOnce(*b);
  RunOnce(*b);
  auto c = Start();  // and another restart
  RunOnce(*c);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM alerts WHERE record_id = '" + quiet + "'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM alerts WHERE record_id = '" + busy + "'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM rule_timers WHERE state = 'fired'"), 2);
}

TEST_F(EngineTest, TwoEnginesFireACronSlotOnce) {
  auto a = Start();
  auto b = Start();
  std::string rule = Rule(*a, json::parse(R"({"name": "c", "trigger": {"cron": "0 9 * * *", "entity": "customers"},
    "condition": "customer.level == \"key\"", "actions": [{"type": "alert", "kind": "k", "title": "巡检"}]})"));
  ASSERT_TRUE(records_->Create(admin_, "customers", {{"name", "重点"}, {"level", "key"}}).ok());
  ASSERT_TRUE(records_->Create(admin_, "customers", {{"name", "普通"}, {"level", "normal"}}).ok());
  RunOnce(*a);  // the first look schedules the next slot
  int64_t slot = Count("SELECT next_at FROM rule_cron_slots WHERE rule_id = '" + rule + "'");
  ASSERT_GT(slot, clock_.NowMs());
  EXPECT_EQ(FormatRfc3339(slot, admin_.zone).substr(11, 8), "09:00:00");
  clock_.Set(slot + 30000);
  RunOnce(*a);
  RunOnce(*b);
  RunOnce(*a);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM alerts WHERE rule_id = '" + rule + "'"), 1);
  EXPECT_EQ(Count("SELECT next_at FROM rule_cron_slots WHERE rule_id = '" + rule + "'"), slot + 86400000);
}

}  // namespace
}  // namespace lf::automation
