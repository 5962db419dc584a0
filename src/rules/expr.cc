// Implements rules/expr.h on the compiler and evaluator.
#include "rules/expr.h"

#include <nlohmann/json.hpp>

namespace lf::rules {

Result<Expr> Expr::Compile(std::string_view source, const ExprEnv& env) {
  LF_ASSIGN(RowLayout layout, MakeLayout(env));
  LF_ASSIGN(std::unique_ptr<Program> p, CompileProgram(source, env, &layout));
  return Expr(std::shared_ptr<const Program>(std::move(p)),
              std::make_shared<const RowLayout>(std::move(layout)));
}

Status Expr::Check(std::string_view source, const ExprEnv& env) {
  auto e = Compile(source, env);
  return e.status();
}

bool Expr::Evaluate(const Row& row, EvalContext& ctx) const {
  return EvalPredicate(*program_, program_->root, row, ctx);
}

Result<bool> Expr::Evaluate(const nlohmann::json& subject, EvalContext& ctx) const {
  Row row;
  row.Fill(*layout_, subject);
  bool hit = Evaluate(row, ctx);
  if (!ctx.status().ok()) return ctx.status();
  return hit;
}

}  // namespace lf::rules
