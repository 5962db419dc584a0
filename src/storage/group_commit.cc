// Implements storage/group_commit.h.
#include "storage/group_commit.h"

#include <pthread.h>

#include <future>

namespace lf {

struct GroupCommitWriter::Item {
  std::function<Status(Tx&)> fn;
  std::promise<Status> done;
};

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<Connection> conn, std::string begin_sql,
                                     int max_batch)
    : conn_(std::move(conn)), begin_sql_(std::move(begin_sql)), max_batch_(max_batch) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "lf-writer");
    Loop();
  });
}

GroupCommitWriter::~GroupCommitWriter() { Stop(); }

void GroupCommitWriter::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

WriterStats GroupCommitWriter::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

Status GroupCommitWriter::Submit(std::function<Status(Tx&)> fn) {
  Item item{std::move(fn), {}};
  auto fut = item.done.get_future();
  {
    std::lock_guard lock(mu_);
    if (stopping_)
      return Status::Error(ErrorKind::kUnavailable, "server.shutting_down", "server is shutting down",
                           "服务器正在关闭");
    queue_.push_back(&item);
  }
  cv_.notify_one();
  return fut.get();
}

void GroupCommitWriter::Loop() {
  std::deque<Item*> batch;
  while (true) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      while (!queue_.empty() && int(batch.size()) < max_batch_) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    RunBatch(batch);
    batch.clear();
  }
}

void GroupCommitWriter::RunBatch(std::deque<Item*>& batch) {
  std::vector<Status> results(batch.size());
  std::vector<std::function<void()>> on_commit;
  auto fail_all = [&](const Status& st) {
    for (auto* item : batch) item->done.set_value(st);
  };
  auto run = [&](size_t i, std::vector<std::function<void()>>* hooks) -> Status {
    Tx tx(*conn_, hooks);
    try {
      return batch[i]->fn(tx);
    } catch (const std::exception& e) {
      return Status::Internal(std::string("write failed: ") + e.what());
    }
  };
  // Fast path: the whole batch in one transaction without savepoints (a round trip less per
  // write on PostgreSQL, no savepoint journal on SQLite). Write functions only touch the database
  // and their own captures, so when one fails the batch is rolled back and run again below with
  // a savepoint per write; the failing write then fails alone.
  bool fast_ok = false;
  if (batch.size() > 1) {
    auto begun = conn_->Exec(begin_sql_);
    if (!begun.ok()) return fail_all(begun.status());
    fast_ok = true;
    for (size_t i = 0; i < batch.size() && fast_ok; ++i) fast_ok = run(i, &on_commit).ok();
    if (!fast_ok) {
      (void)conn_->Exec("ROLLBACK");
      on_commit.clear();
    }
  }
  if (!fast_ok) {
    auto begun = conn_->Exec(begin_sql_);
    if (!begun.ok()) return fail_all(begun.status());
    for (size_t i = 0; i < batch.size(); ++i) {
      std::vector<std::function<void()>> mine;
      auto sp = conn_->Exec("SAVEPOINT w");
      if (!sp.ok()) {
        results[i] = sp.status();
        continue;
      }
      Status st = run(i, &mine);
      if (st.ok()) {
        auto rel = conn_->Exec("RELEASE SAVEPOINT w");
        if (!rel.ok()) st = rel.status();
      }
      if (!st.ok()) {
        (void)conn_->Exec("ROLLBACK TO SAVEPOINT w");
        (void)conn_->Exec("RELEASE SAVEPOINT w");
      } else {
        for (auto& f : mine) on_commit.push_back(std::move(f));
      }
      results[i] = std::move(st);
    }
  }
  auto committed = conn_->Exec("COMMIT");
  if (!committed.ok()) {
    (void)conn_->Exec("ROLLBACK");
    return fail_all(committed.status());
  }
  {
    std::lock_guard lock(mu_);
    stats_.transactions++;
    stats_.writes += batch.size();
    if (!fast_ok && batch.size() > 1) stats_.slow_batches++;
  }
  for (auto& f : on_commit) f();
  for (size_t i = 0; i < batch.size(); ++i) batch[i]->done.set_value(std::move(results[i]));
}

}  // namespace lf
