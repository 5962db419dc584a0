// The group-commit writer never acknowledges a write before its batch passed the durability
// barrier, and a failing barrier fails the batch's writes.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "storage/group_commit.h"

namespace lf {
namespace {

// A connection that accepts every statement: the barrier logic is what is under test here; the
// SQLite-backed behaviour is covered by group_commit_test and the API crash test.
class NullConnection final : public Connection {
 public:
  Result<Rows> Query(std::string_view, const std::vector<Value>&) override { return Rows{}; }
  Result<int64_t> Exec(std::string_view, const std::vector<Value>&) override { return int64_t(0); }
  Status ForEach(std::string_view, const std::vector<Value>&,
                 const std::function<bool(const std::vector<std::string>&, const Row&)>&) override {
    return Status::Ok();
  }
  Status ExecScript(std::string_view) override { return Status::Ok(); }
  const Dialect& dialect() const override { return dialect_; }

 private:
  Dialect dialect_{Engine::kSqlite};
};

TEST(DurabilityBarrier, WritesAreAcknowledgedOnlyAfterTheBarrier) {
  std::atomic<int> barriers{0};
  std::atomic<bool> in_barrier{false};
  GroupCommitWriter w(std::make_unique<NullConnection>(), "BEGIN", 64, [&] {
    in_barrier = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    barriers++;
    in_barrier = false;
    return Status::Ok();
  });
  std::atomic<int> hooks{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      int before = barriers.load();
      Status st = w.Submit([&](Tx& tx) {
        tx.OnCommit([&] { hooks++; });
        return Status::Ok();
      });
      EXPECT_TRUE(st.ok());
      EXPECT_GT(barriers.load(), before) << "acknowledged before the barrier completed";
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(hooks.load(), 8);
  w.Stop();
}

TEST(DurabilityBarrier, AFailingBarrierFailsTheWritesAndSkipsTheirHooks) {
  GroupCommitWriter w(std::make_unique<NullConnection>(), "BEGIN", 64, [] {
    return Status::Error(ErrorKind::kUnavailable, "db.sync_failed", "sync failed", "同步失败");
  });
  bool hook = false;
  Status st = w.Submit([&](Tx& tx) {
    tx.OnCommit([&] { hook = true; });
    return Status::Ok();
  });
  EXPECT_EQ(st.code(), "db.sync_failed");
  EXPECT_FALSE(hook);
  w.Stop();
}

}  // namespace
}  // namespace lf
