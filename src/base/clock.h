// Clock: the injectable source of "now" (UTC epoch milliseconds). Tests use ManualClock.
// Thread-safety: SystemClock and ManualClock are thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace lf {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch, UTC.
  virtual int64_t NowMs() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowMs() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// The system clock shifted by an adjustable offset: `leadflow serve --test-clock` uses it so API
// tests can move time (dedup windows, calendar-day rules) without waiting.
class OffsetClock final : public Clock {
 public:
  int64_t NowMs() const override { return system_.NowMs() + offset_.load(); }
  void SetNow(int64_t now_ms) { offset_.store(now_ms - system_.NowMs()); }

 private:
  SystemClock system_;
  std::atomic<int64_t> offset_{0};
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t now_ms) : now_(now_ms) {}
  int64_t NowMs() const override { return now_.load(); }
  void Set(int64_t now_ms) { now_.store(now_ms); }
  void Advance(int64_t ms) { now_.fetch_add(ms); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace lf
