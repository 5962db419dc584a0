// GroupCommitWriter: the one writer thread of a database (DESIGN.md §10). Callers submit write
// functions and block until their batch is committed; the writer runs up to `max_batch` queued
// writes in one transaction. A failing write rolls back alone: the batch is first tried without
// savepoints and, if any write fails, re-run with a SAVEPOINT around each write. Write functions
// must therefore be re-runnable: they may only change the database and their own captures, and
// defer every outside effect to Tx::OnCommit.
// Thread-safety: Submit() is thread-safe; everything else runs on the writer thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "storage/database.h"

namespace lf {

class GroupCommitWriter {
 public:
  // Takes ownership of `conn`. `begin_sql` opens a write transaction ("BEGIN IMMEDIATE" on SQLite).
  // `durability_barrier`, when given, makes committed batches durable (e.g. fdatasync of SQLite's
  // WAL for a connection with synchronous=NORMAL); it then runs on a second thread so the next
  // batch executes while the previous one syncs, and no write is acknowledged before its batch
  // passed the barrier. Without it, COMMIT itself must be durable.
  GroupCommitWriter(std::unique_ptr<Connection> conn, std::string begin_sql, int max_batch,
                    std::function<Status()> durability_barrier = nullptr);
  ~GroupCommitWriter();
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Runs `fn` in the next batch; returns its Status once the batch is durable (or the commit's
  // failure, in which case none of the batch took effect).
  Status Submit(std::function<Status(Tx&)> fn);
  // The same without blocking: `done` runs once with the Status, on the writer's (or sync)
  // thread, after the batch is durable. It must be quick and must not call back into the writer.
  void SubmitAsync(std::function<Status(Tx&)> fn, std::function<void(Status)> done);
  // Finishes queued writes and joins the thread. Later Submit() calls fail with kUnavailable.
  void Stop();
  WriterStats stats() const;

 private:
  struct Item;
  // A committed batch waiting for the durability barrier.
  struct Committed {
    std::deque<Item*> items;
    std::vector<Status> results;
    std::vector<std::function<void()>> on_commit;
  };
  void Loop();
  void RunBatch(std::deque<Item*>& batch);
  void SyncLoop();
  static void Complete(Committed& c);

  std::unique_ptr<Connection> conn_;  // used only by the writer thread
  const std::string begin_sql_;
  const int max_batch_;

  mutable std::mutex mu_;  // guards queue_, stopping_, stats_
  std::condition_variable cv_;
  std::deque<Item*> queue_;
  bool stopping_ = false;
  WriterStats stats_;
  std::thread thread_;

  const std::function<Status()> barrier_;
  std::mutex sync_mu_;  // guards synced_queue_, writer_done_
  std::condition_variable sync_cv_;
  std::deque<Committed> synced_queue_;
  bool writer_done_ = false;
  std::thread sync_thread_;
};

}  // namespace lf
