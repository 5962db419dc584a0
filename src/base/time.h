// Time rules of LeadFlow (DESIGN.md §4, MISSION C3): instants are UTC epoch milliseconds; the API
// reads RFC 3339 with an explicit offset and writes RFC 3339 in the tenant's zone; "N days" means
// calendar days in the tenant's zone. Thread-safety: all functions are pure / thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace date {
class time_zone;
}

namespace lf {

using TimeZone = date::time_zone;

// Looks up an IANA zone ("Asia/Shanghai"). The pointer is owned by the tz database and lives for the
// whole process.
Result<const TimeZone*> FindZone(std::string_view name);

// Parses "2026-02-22T00:15:03Z" / "2026-02-22T08:15:03.120+08:00". A timestamp without an offset is
// rejected (code "validation.timestamp_without_offset") unless `assume_zone` is given.
Result<int64_t> ParseRfc3339(std::string_view text, const TimeZone* assume_zone = nullptr);

// Formats an instant in `zone`: "2026-02-22T08:15:03+08:00" (".120" is added when ms != 0).
std::string FormatRfc3339(int64_t epoch_ms, const TimeZone* zone);

// Validates a calendar date "YYYY-MM-DD".
bool IsValidDate(std::string_view text);

// The instant at which the local calendar day `days_back` days before the local day of `now_ms`
// begins, in `zone`. "Older than N days" == created_at < StartOfLocalDay(now, zone, N).
int64_t StartOfLocalDay(int64_t now_ms, const TimeZone* zone, int days_back);

// The local calendar date "YYYY-MM-DD" of an instant in `zone`.
std::string LocalDate(int64_t epoch_ms, const TimeZone* zone);

}  // namespace lf
