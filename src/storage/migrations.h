// Core schema migrations (tables every subsystem shares). Entity tables are derived from metadata by
// schema/; this file owns only tenants, identity, events, jobs, idempotency and metadata tables.
#pragma once

#include <string>

#include "storage/database.h"

namespace lf {

// Applies pending core migrations on `conn` inside transactions opened with `begin_sql`.
// Idempotent; safe when several instances start at once (PostgreSQL takes an advisory lock).
Status ApplyCoreMigrations(Connection& conn, const std::string& begin_sql);

// SQL type names per engine for the schema generator.
std::string SqlJsonType(Engine e);

}  // namespace lf
