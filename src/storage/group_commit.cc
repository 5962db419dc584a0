// Implements storage/group_commit.h.
#include "storage/group_commit.h"

#include <pthread.h>

#include <future>

namespace lf {

struct GroupCommitWriter::Item {
  std::function<Status(Tx&)> fn;
  std::function<void(Status)> done;
};

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<Connection> conn, std::string begin_sql,
                                     int max_batch, std::function<Status()> durability_barrier)
    : conn_(std::move(conn)),
      begin_sql_(std::move(begin_sql)),
      max_batch_(max_batch),
      barrier_(std::move(durability_barrier)) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "lf-writer");
    Loop();
    std::lock_guard lock(sync_mu_);
    writer_done_ = true;
    sync_cv_.notify_all();
  });
  if (barrier_)
    sync_thread_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "lf-sync");
      SyncLoop();
    });
}

void GroupCommitWriter::Complete(Committed& c) {
  for (auto& f : c.on_commit) f();
  for (size_t i = 0; i < c.items.size(); ++i) {
    std::unique_ptr<Item> item(c.items[i]);
    item->done(std::move(c.results[i]));
  }
}

void GroupCommitWriter::SyncLoop() {
  while (true) {
    std::deque<Committed> ready;
    {
      std::unique_lock lock(sync_mu_);
      sync_cv_.wait(lock, [&] { return writer_done_ || !synced_queue_.empty(); });
      if (synced_queue_.empty() && writer_done_) return;
      ready.swap(synced_queue_);
    }
    // One barrier covers every batch committed so far, in commit order.
    Status st = barrier_();
    for (auto& c : ready) {
      if (!st.ok()) {
        for (auto& r : c.results) r = st;
        c.on_commit.clear();
      }
      Complete(c);
    }
  }
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
  if (sync_thread_.joinable()) sync_thread_.join();
}

WriterStats GroupCommitWriter::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

Status GroupCommitWriter::Submit(std::function<Status(Tx&)> fn) {
  std::promise<Status> promise;
  auto fut = promise.get_future();
  SubmitAsync(std::move(fn), [&promise](Status st) { promise.set_value(std::move(st)); });
  return fut.get();
}

void GroupCommitWriter::SubmitAsync(std::function<Status(Tx&)> fn,
                                    std::function<void(Status)> done) {
  auto* item = new Item{std::move(fn), std::move(done)};  // owned by the queue until completed
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      queue_.push_back(item);
      item = nullptr;
    }
  }
  if (item) {
    std::unique_ptr<Item> owned(item);
    owned->done(Status::Error(ErrorKind::kUnavailable, "server.shutting_down",
                              "server is shutting down", "服务器正在关闭"));
    return;
  }
  cv_.notify_one();
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
    for (auto* item : batch) {
      std::unique_ptr<Item> owned(item);
      owned->done(st);
    }
    batch.clear();
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
  Committed c{std::move(batch), std::move(results), std::move(on_commit)};
  batch.clear();
  if (!barrier_) return Complete(c);
  {
    std::lock_guard lock(sync_mu_);
    synced_queue_.push_back(std::move(c));
  }
  sync_cv_.notify_one();
}

}  // namespace lf
