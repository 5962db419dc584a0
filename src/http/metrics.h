// Process metrics in the Prometheus text format (GET /metrics). Thread-safe: atomics only.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace lf {

class Metrics {
 public:
  // Records one finished request: its status and handler latency in microseconds.
  void Observe(int status, int64_t micros);
  // Renders all metrics; `extra` lines (writer stats, …) are appended as they are.
  std::string Render(const std::string& extra) const;

 private:
  static constexpr std::array<int64_t, 10> kBucketsUs = {250,    500,    1000,   2500,   5000,
                                                        10000,  25000,  100000, 500000, 2000000};
  std::array<std::atomic<uint64_t>, 6> by_class_{};  // 1xx..5xx, index = status/100
  std::array<std::atomic<uint64_t>, kBucketsUs.size() + 1> buckets_{};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_us_{0};
};

}  // namespace lf
