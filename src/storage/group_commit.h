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
  GroupCommitWriter(std::unique_ptr<Connection> conn, std::string begin_sql, int max_batch);
  ~GroupCommitWriter();
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Runs `fn` in the next batch; returns its Status once the batch is durable (or the commit's
  // failure, in which case none of the batch took effect).
  Status Submit(std::function<Status(Tx&)> fn);
  // Finishes queued writes and joins the thread. Later Submit() calls fail with kUnavailable.
  void Stop();
  WriterStats stats() const;

 private:
  struct Item;
  void Loop();
  void RunBatch(std::deque<Item*>& batch);

  std::unique_ptr<Connection> conn_;  // used only by the writer thread
  const std::string begin_sql_;
  const int max_batch_;

  mutable std::mutex mu_;  // guards queue_, stopping_, stats_
  std::condition_variable cv_;
  std::deque<Item*> queue_;
  bool stopping_ = false;
  WriterStats stats_;
  std::thread thread_;
};

}  // namespace lf
