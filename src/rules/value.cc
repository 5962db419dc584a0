// Implements rules/value.h: type names, the slot layout and filling a Row from stored JSON.
#include "rules/value.h"

#include <nlohmann/json.hpp>

namespace lf::rules {

const char* VTypeName(VType t) {
  switch (t) {
    case VType::kNull: return "null";
    case VType::kBool: return "true/false";
    case VType::kNumber: return "number";
    case VType::kText: return "text";
    case VType::kDate: return "date";
    case VType::kDateTime: return "datetime";
    case VType::kDuration: return "duration";
    case VType::kTextList: return "list of values";
    case VType::kList: return "list";
  }
  return "?";
}

const char* VTypeNameZh(VType t) {
  switch (t) {
    case VType::kNull: return "空值";
    case VType::kBool: return "真/假";
    case VType::kNumber: return "数字";
    case VType::kText: return "文本";
    case VType::kDate: return "日期";
    case VType::kDateTime: return "时间";
    case VType::kDuration: return "时长";
    case VType::kTextList: return "多值列表";
    case VType::kList: return "列表";
  }
  return "?";
}

VType TypeOfField(FieldType t) {
  switch (t) {
    case FieldType::kNumber: case FieldType::kMoney: return VType::kNumber;
    case FieldType::kDate: return VType::kDate;
    case FieldType::kDateTime: return VType::kDateTime;
    case FieldType::kBool: return VType::kBool;
    case FieldType::kMultiEnum: case FieldType::kTags: return VType::kTextList;
    default: return VType::kText;
  }
}

uint32_t RowLayout::Intern(uint32_t binding, const FieldDef& f) {
  for (uint32_t i = 0; i < slots_.size(); ++i)
    if (slots_[i].binding == binding && slots_[i].field == f.name) return i;
  slots_.push_back({binding, f.name, f.type, TypeOfField(f.type)});
  return uint32_t(slots_.size() - 1);
}

void Row::Reset(const RowLayout& layout) {
  values_.assign(layout.slots().size(), Value::Null());
  if (lists_.size() < values_.size()) lists_.resize(values_.size());
}

void Row::SetList(uint32_t slot, std::vector<std::string_view> items) {
  lists_[slot] = std::move(items);
  values_[slot] = Value::List(lists_[slot].data(), uint32_t(lists_[slot].size()));
}

void Row::FillBindings(const RowLayout& layout, std::span<const nlohmann::json* const> records) {
  const auto& slots = layout.slots();
  Reset(layout);
  for (uint32_t i = 0; i < slots.size(); ++i) {
    const SlotInfo& s = slots[i];
    const nlohmann::json* rec = s.binding < records.size() ? records[s.binding] : nullptr;
    if (rec == nullptr || !rec->is_object()) continue;
    auto it = rec->find(s.field);
    if (it == rec->end()) continue;
    const nlohmann::json& v = *it;
    Value& out = values_[i];
    switch (s.type) {
      case VType::kNumber: case VType::kDateTime:
        if (v.is_number()) out = Value::Number(v.get<double>());
        break;
      case VType::kBool:
        if (v.is_boolean()) out = Value::Bool(v.get<bool>());
        else if (v.is_number()) out = Value::Bool(v.get<double>() != 0);
        break;
      case VType::kTextList:
        if (v.is_array()) {
          auto& items = lists_[i];
          items.clear();
          for (const auto& e : v)
            if (e.is_string()) items.push_back(e.get_ref<const std::string&>());
          out = Value::List(items.data(), uint32_t(items.size()));
        }
        break;
      default:
        if (v.is_string()) out = Value::Text(v.get_ref<const std::string&>());
        break;
    }
  }
}

void Row::Fill(const RowLayout& layout, const nlohmann::json& subject) {
  const nlohmann::json* one[1] = {&subject};
  FillBindings(layout, std::span<const nlohmann::json* const>(one, 1));
}

}  // namespace lf::rules
