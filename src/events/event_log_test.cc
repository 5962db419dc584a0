// Tests for the hash-chained event log on a real SQLite database.
#include "events/event_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "storage/database.h"

namespace lf {
namespace {

class EventLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("lf-ev-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = Database::Open("sqlite:" + (dir_ / "e.db").string()).value();
    ASSERT_TRUE(db_->Write([](Tx& tx) {
      return tx.Exec("INSERT INTO tenants (id, name, created_at) VALUES ('t1', 'T', 0), ('t2', 'U', 0)").status();
    }).ok());
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  int64_t Append(const std::string& tenant, const std::string& id) {
    int64_t seq = 0;
    EXPECT_TRUE(db_->Write([&](Tx& tx) -> Status {
      LF_ASSIGN(seq, log_.Append(tx, tenant, "u1", "lead.created", "leads", id, {{"values", {{"name", id}}}}));
      return Status::Ok();
    }).ok());
    return seq;
  }
  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
  ManualClock clock_{1000};
  EventBus bus_;
  EventLog log_{clock_, &bus_};
};

TEST_F(EventLogTest, SequenceIsDensePerTenant) {
  EXPECT_EQ(Append("t1", "a"), 1);
  EXPECT_EQ(Append("t1", "b"), 2);
  EXPECT_EQ(Append("t2", "c"), 1);
  EXPECT_EQ(Append("t1", "d"), 3);
}

TEST_F(EventLogTest, PublishesOnlyAfterCommitAndOnlyToTheTenant) {
  std::vector<std::string> seen;
  bus_.Subscribe("t1", [&](const Event& e) { seen.push_back(e.entity_id); });
  Append("t1", "a");
  Append("t2", "b");
  Status st = db_->Write([&](Tx& tx) -> Status {
    LF_TRY(log_.Append(tx, "t1", "u1", "lead.created", "leads", "rolled-back", {}).status());
    return Status::Error(ErrorKind::kValidation, "x", "x", "x");
  });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(seen, std::vector<std::string>{"a"});
  EXPECT_EQ(Append("t1", "c"), 2);  // the rolled-back append left no gap
}

TEST_F(EventLogTest, VerifyDetectsEditsDeletionsAndTruncation) {
  for (auto id : {"a", "b", "c"}) Append("t1", id);
  auto ok = EventLog::Verify(*db_);
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->problems.empty());
  EXPECT_EQ(ok->events, 3);

  auto tamper = [&](const std::string& sql) {
    ASSERT_TRUE(db_->Write([&](Tx& tx) { return tx.Exec(sql).status(); }).ok());
  };
  tamper("UPDATE events SET data = '{\"values\":{\"name\":\"x\"}}' WHERE tenant_id = 't1' AND seq = 2");
  auto edited = EventLog::Verify(*db_);
  ASSERT_EQ(edited->problems.size(), 1u);
  EXPECT_NE(edited->problems[0].find("altered"), std::string::npos);
}

TEST_F(EventLogTest, VerifyDetectsAMissingMiddleRow) {
  for (auto id : {"a", "b", "c"}) Append("t1", id);
  ASSERT_TRUE(db_->Write([](Tx& tx) { return tx.Exec("DELETE FROM events WHERE seq = 2 AND tenant_id = 't1'").status(); }).ok());
  auto r = EventLog::Verify(*db_);
  ASSERT_FALSE(r->problems.empty());
  EXPECT_NE(r->problems[0].find("missing"), std::string::npos);
}

}  // namespace
}  // namespace lf
