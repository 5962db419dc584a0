// rules/: the rule expression language (issue 4, A1; docs/rule-language.md). Expr is one compiled
// condition — the public entry point for checking a condition when a rule is saved, for dry runs
// and for evaluating a single rule. Many rules at once: rule_set.h.
//
//   ExprEnv env{&schema, "lead", {}, zone};
//   LF_ASSIGN(Expr e, Expr::Compile(R"(lead.channel == "douyin_form" and activities_in(3d) >= 2)", env));
//   EvalContext ctx(zone, &facts);
//   ctx.Begin(clock.NowMs(), record["id"].get<std::string>());
//   Result<bool> hit = e.Evaluate(record, ctx);
//
// Thread-safety: an Expr is immutable and may be shared and evaluated from many threads, each
// with its own Row and EvalContext.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "rules/compiler.h"
#include "rules/eval.h"
#include "rules/facts.h"
#include "rules/value.h"

namespace lf::rules {

class Expr {
 public:
  // Parses, checks and compiles `source` against `env`. Errors: kValidation with code rules.*,
  // field "condition" and "line L, column C: …" in detail_en ("第 L 行第 C 列: …" in detail_zh).
  static Result<Expr> Compile(std::string_view source, const ExprEnv& env);
  // Compile for its verdict only: what saving a rule calls.
  static Status Check(std::string_view source, const ExprEnv& env);

  // The slots this condition reads; fill a Row with it.
  const RowLayout& layout() const { return *layout_; }
  // Facts the condition may ask for (so a host can prefetch them in bulk).
  const std::vector<FactNeed>& facts() const { return program_->facts; }

  // Evaluates over a row filled with layout(). Facts failures are reported in ctx.status().
  bool Evaluate(const Row& row, EvalContext& ctx) const;
  // Convenience: fills a row from the subject's stored-form record, evaluates, and returns
  // ctx.status() when a fact could not be read. Call ctx.Begin first.
  Result<bool> Evaluate(const nlohmann::json& subject, EvalContext& ctx) const;

 private:
  Expr(std::shared_ptr<const Program> p, std::shared_ptr<const RowLayout> l)
      : program_(std::move(p)), layout_(std::move(l)) {}
  std::shared_ptr<const Program> program_;
  std::shared_ptr<const RowLayout> layout_;
};

}  // namespace lf::rules
