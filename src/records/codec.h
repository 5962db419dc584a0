// Conversion between API JSON, storage values and stored JSON for every field type. Internal to
// records/. Thread-safe: pure functions.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "base/time.h"
#include "schema/metadata.h"
#include "storage/database.h"

namespace lf {

// Validates an API value for `f` and returns its stored form as JSON: datetime → epoch ms, bool →
// 0/1, money → integer fen, multi_enum/tags → array, null stays null.
Result<nlohmann::json> DecodeInput(const FieldDef& f, const nlohmann::json& v);

// The stored JSON form as a column value (arrays become JSON text).
Value StoredToColumn(const FieldDef& f, const nlohmann::json& stored);
// A column value back to its stored JSON form.
nlohmann::json ColumnToStored(const FieldDef& f, const Value& v);
// A stored JSON form to its API form (datetimes in `zone`, booleans as true/false).
nlohmann::json StoredToApi(const FieldDef& f, const nlohmann::json& stored, const TimeZone* zone);

// Parses a query-string value for filtering on `f` into a bindable value.
Result<Value> DecodeFilterValue(const FieldDef& f, const std::string& text);

}  // namespace lf
