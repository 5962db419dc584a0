// Tests for the group-commit writer on a real SQLite file: batching, savepoint isolation of a
// failing write, commit hooks.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "storage/database.h"

namespace lf {
namespace {

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("lf-gc-" + std::to_string(getpid()) + "-" +
                                                     std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    auto db = Database::Open("sqlite:" + (dir_ / "t.db").string());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->Write([](Tx& tx) { return tx.conn().ExecScript("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)"); }).ok());
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  int64_t Count() {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](Connection& c) -> Status {
      LF_ASSIGN(auto r, c.Query("SELECT COUNT(*) FROM t"));
      n = AsInt(r.rows[0][0]);
      return Status::Ok();
    }).ok());
    return n;
  }
  static inline int counter_ = 0;
  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(GroupCommitTest, ConcurrentWritesAreBatchedAndAllDurable) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 16; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        Status st = db_->Write([&](Tx& tx) {
          return tx.Exec("INSERT INTO t (k, v) VALUES (?, ?)", {std::to_string(t) + ":" + std::to_string(i), int64_t(i)}).status();
        });
        if (st.ok()) ok++;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 800);
  EXPECT_EQ(Count(), 800);
  WriterStats ws = db_->writer_stats();
  EXPECT_EQ(ws.writes, 801u);  // + the CREATE TABLE
  EXPECT_LT(ws.transactions, ws.writes);  // at least some batching happened
}

TEST_F(GroupCommitTest, FailingWriteRollsBackAloneAndSkipsItsCommitHook) {
  std::atomic<int> hooks{0};
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      Status st = db_->Write([&](Tx& tx) -> Status {
        LF_TRY(tx.Exec("INSERT INTO t (k, v) VALUES (?, 1)", {"k" + std::to_string(t)}).status());
        tx.OnCommit([&] { hooks++; });
        if (t % 2) return Status::Error(ErrorKind::kValidation, "test.refused", "refused", "拒绝");
        return Status::Ok();
      });
      if (!st.ok()) {
        EXPECT_EQ(st.code(), "test.refused");
        failures++;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 4);
  EXPECT_EQ(Count(), 4);
  EXPECT_EQ(hooks.load(), 4);
}

TEST_F(GroupCommitTest, ConstraintViolationIsReportedToItsWriterOnly) {
  ASSERT_TRUE(db_->Write([](Tx& tx) { return tx.Exec("INSERT INTO t (k, v) VALUES ('dup', 1)").status(); }).ok());
  Status st = db_->Write([](Tx& tx) { return tx.Exec("INSERT INTO t (k, v) VALUES ('dup', 2)").status(); });
  EXPECT_FALSE(st.ok());
  EXPECT_TRUE(db_->Write([](Tx& tx) { return tx.Exec("INSERT INTO t (k, v) VALUES ('other', 2)").status(); }).ok());
  EXPECT_EQ(Count(), 2);
}

}  // namespace
}  // namespace lf
