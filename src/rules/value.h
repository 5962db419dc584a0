// Runtime values of the rule language and the flat Row a compiled condition reads: each field a
// condition names is resolved at compile time to a slot index in a RowLayout; a Row holds one
// Value per slot, filled once per event from stored-form records (records/ stored JSON).
// Thread-safety: RowLayout is immutable once compiling is done and then safe to share; a Row is
// owned by one evaluating thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "schema/metadata.h"

namespace lf::rules {

// Static types the checker assigns. text covers text, phone, email, user, reference and enum
// fields; number covers number and money (fen); date is "YYYY-MM-DD" text at run time; datetime and
// duration are milliseconds; text_list is multi_enum and tags.
enum class VType : uint8_t { kNull, kBool, kNumber, kText, kDate, kDateTime, kDuration, kTextList, kList };
const char* VTypeName(VType t);     // "number", "text", …
const char* VTypeNameZh(VType t);   // "数字", "文本", …
VType TypeOfField(FieldType t);

// A value at run time. Text and list items are views: into the record JSON a Row was filled from,
// or into the compiled program's constants.
struct Value {
  enum class Kind : uint8_t { kNull, kBool, kNumber, kText, kList };
  Kind kind = Kind::kNull;
  bool boolean = false;
  double number = 0;  // numbers, money (fen), datetimes and durations (ms) — exact below 2^53
  std::string_view text;
  const std::string_view* items = nullptr;
  uint32_t size = 0;

  static Value Null() { return {}; }
  static Value Bool(bool b) { Value v; v.kind = Kind::kBool; v.boolean = b; return v; }
  static Value Number(double d) { Value v; v.kind = Kind::kNumber; v.number = d; return v; }
  static Value Text(std::string_view s) { Value v; v.kind = Kind::kText; v.text = s; return v; }
  static Value List(const std::string_view* p, uint32_t n) {
    Value v; v.kind = Kind::kList; v.items = p; v.size = n; return v;
  }
  bool is_null() const { return kind == Kind::kNull; }
};

// One slot: which bound record (0 = the rule's subject) and which field of it.
struct SlotInfo {
  uint32_t binding = 0;
  std::string field;
  FieldType field_type = FieldType::kText;
  VType type = VType::kText;
};

// The slots of a set of compiled conditions and the entities (singular names) bound to a row, the
// subject first. Built by the compiler; immutable afterwards.
class RowLayout {
 public:
  RowLayout() = default;
  explicit RowLayout(std::vector<std::string> bindings) : bindings_(std::move(bindings)) {}
  const std::vector<std::string>& bindings() const { return bindings_; }
  const std::vector<SlotInfo>& slots() const { return slots_; }
  // The slot of (binding, field), added when new.
  uint32_t Intern(uint32_t binding, const FieldDef& f);

 private:
  std::vector<std::string> bindings_;
  std::vector<SlotInfo> slots_;
};

// Values for the slots of one layout. Reuse one Row across events: Fill keeps its buffers.
class Row {
 public:
  const Value& operator[](uint32_t slot) const { return values_[slot]; }
  Value& operator[](uint32_t slot) { return values_[slot]; }
  size_t size() const { return values_.size(); }
  // Sets every slot to null (sized for `layout`).
  void Reset(const RowLayout& layout);

  // Fills the row from stored-form records, one per layout binding, in binding order (a null
  // pointer or a missing field gives null). Stored forms (records/codec.h): datetime → epoch ms,
  // bool → 0/1, money → fen, multi_enum/tags → array of strings. A value of the wrong JSON type is
  // read as null. The row keeps views into `records`: they must outlive the row's use.
  void FillBindings(const RowLayout& layout, std::span<const nlohmann::json* const> records);
  // FillBindings for a layout with only the subject bound.
  void Fill(const RowLayout& layout, const nlohmann::json& subject);

  // Sets a text-list slot from views the caller keeps alive (tests and hosts without JSON).
  void SetList(uint32_t slot, std::vector<std::string_view> items);

 private:
  std::vector<Value> values_;
  std::vector<std::vector<std::string_view>> lists_;  // per slot, for text-list values
};

}  // namespace lf::rules
