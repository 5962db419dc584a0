// leadflow: the CRM server binary and its subcommands (serve, migrate, init, demo, backup, restore,
// audit verify). Only argument handling and wiring live here.
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <spdlog/spdlog.h>

#include "base/crypto.h"
#include "demo/demo_data.h"
#include "events/event_log.h"
#include "http/api.h"
#include "http/server.h"
#include "identity/identity.h"
#include "schema/metadata.h"
#include "storage/backup.h"
#include "storage/database.h"

namespace {

using namespace lf;

std::string DefaultDb() {
  const char* env = std::getenv("LEADFLOW_DB");
  return env && *env ? env : "sqlite:data/leadflow.db";
}

// Opens the database, applies migrations and entity tables. Creates the SQLite file's folder.
std::unique_ptr<Database> OpenOrDie(const std::string& url, int read_connections = 8) {
  if (url.rfind("postgres", 0) != 0) {
    std::string path = url.rfind("sqlite:", 0) == 0 ? url.substr(7) : url;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
  }
  DatabaseOptions opts;
  opts.read_connections = read_connections;
  auto db = Database::Open(url, opts);
  if (!db.ok()) {
    std::fprintf(stderr, "leadflow: cannot open database %s: %s\n", url.c_str(), db.status().ToString().c_str());
    std::exit(2);
  }
  Status st = EnsureEntityTables(**db);
  if (!st.ok()) {
    std::fprintf(stderr, "leadflow: migration failed: %s\n", st.ToString().c_str());
    std::exit(2);
  }
  return std::move(db).value();
}

std::string ReadPassword() {
  std::string pw;
  if (isatty(STDIN_FILENO)) {
    std::fprintf(stderr, "Password for the admin (min. 8 characters): ");
    termios old{};
    tcgetattr(STDIN_FILENO, &old);
    termios noecho = old;
    noecho.c_lflag &= ~tcflag_t(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &noecho);
    std::getline(std::cin, pw);
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::fprintf(stderr, "\n");
  } else {
    std::getline(std::cin, pw);
  }
  while (!pw.empty() && (pw.back() == '\r' || pw.back() == '\n')) pw.pop_back();
  return pw;
}

int Serve(const std::string& db_url, const ServerOptions& opts, const std::string& web,
          bool test_clock) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // every thread started below inherits the mask
  signal(SIGPIPE, SIG_IGN);
  auto db = OpenOrDie(db_url, std::max(4, opts.io_threads * 4));
  OffsetClock clock;  // the system clock unless --test-clock moves it
  Api api(*db, clock, web);
  if (test_clock) {
    api.EnableTestClock(&clock);
    spdlog::warn("--test-clock: POST /api/v1/_test/clock can move this server's time");
  }
  HttpServer server(opts, [&api](Request& req) { return api.Handle(req); });
  std::string err = server.Start();
  if (!err.empty()) {
    std::fprintf(stderr, "leadflow: %s\n", err.c_str());
    return 2;
  }
  spdlog::info("leadflow serving on http://{}:{} (database {})", opts.address, server.port(),
               db_url.rfind("postgres", 0) == 0 ? "postgresql" : db_url);
  int sig = 0;
  sigwait(&set, &sig);
  spdlog::info("signal {}: shutting down", sig);
  server.Stop();
  db->Close();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (!lf::InitCrypto()) {
    std::fprintf(stderr, "leadflow: libsodium failed to initialise\n");
    return 2;
  }
  CLI::App app{"LeadFlow — CRM server for lead capture, follow-up and process supervision.\n"
               "Database URLs: sqlite:PATH (default sqlite:data/leadflow.db, or $LEADFLOW_DB) or "
               "postgresql://user@host:port/db"};
  app.require_subcommand(1);
  std::string db_url = DefaultDb();

  auto* serve = app.add_subcommand("serve", "Run the HTTP server (API + web UI)");
  ServerOptions sopts;
  std::string web = "web/dist";
  serve->add_option("--db", db_url, "Database URL");
  serve->add_option("--port", sopts.port, "TCP port (default 8080)");
  serve->add_option("--address", sopts.address, "Address to bind (default 127.0.0.1)");
  serve->add_option("--web", web, "Folder of the built web UI (default web/dist)");
  serve->add_option("--io-threads", sopts.io_threads, "HTTP I/O threads (default 2)");
  serve->add_option("--workers", sopts.worker_threads, "Handler threads (default 16)");
  bool test_clock = false;
  serve->add_flag("--test-clock", test_clock, "Tests only: let POST /api/v1/_test/clock set the time");

  auto* migrate = app.add_subcommand("migrate", "Create or upgrade the database schema");
  migrate->add_option("--db", db_url, "Database URL");

  auto* init = app.add_subcommand("init", "Create a tenant and its first admin (password on stdin)");
  IdentityService::NewTenant nt;
  init->add_option("--db", db_url, "Database URL");
  init->add_option("--tenant", nt.name, "Company name")->required();
  init->add_option("--admin-email", nt.admin_email, "Email of the first admin")->required();
  init->add_option("--admin-name", nt.admin_name, "Display name of the first admin");
  init->add_option("--time-zone", nt.time_zone, "Business time zone (default Asia/Shanghai)");

  auto* demo = app.add_subcommand("demo", "Create the demo company if it is not there yet");
  DemoOptions dopts;
  demo->add_option("--db", db_url, "Database URL");
  demo->add_option("--leads", dopts.leads, "Number of demo leads (default 2000)");
  demo->add_option("--admin-email", dopts.admin_email, "Demo admin email");

  std::string file;
  auto* backup = app.add_subcommand("backup", "Online backup of the whole database to FILE");
  backup->add_option("--db", db_url, "Database URL");
  backup->add_option("file", file, "Backup file")->required();
  auto* restore = app.add_subcommand("restore", "Restore FILE into an empty database");
  restore->add_option("--db", db_url, "Database URL");
  restore->add_option("file", file, "Backup file")->required();

  auto* audit = app.add_subcommand("audit", "Audit log tools");
  auto* verify = audit->add_subcommand("verify", "Check the hash chain of every tenant's event log");
  verify->add_option("--db", db_url, "Database URL");
  audit->require_subcommand(1);

  CLI11_PARSE(app, argc, argv);

  if (*serve) return Serve(db_url, sopts, web, test_clock);
  auto db = OpenOrDie(db_url);
  if (*migrate) {
    std::printf("database is up to date\n");
    return 0;
  }
  if (*init) {
    nt.admin_password = ReadPassword();
    SystemClock clock;
    EventLog events(clock, nullptr);
    IdentityService identity(*db, events, clock);
    auto ids = identity.CreateTenant(nt);
    if (!ids.ok()) {
      std::fprintf(stderr, "leadflow init: %s\n", ids.status().ToString().c_str());
      return 1;
    }
    std::printf("tenant %s created (id %s); admin %s\n", nt.name.c_str(), ids->tenant_id.c_str(),
                nt.admin_email.c_str());
    return 0;
  }
  if (*demo) {
    auto sum = CreateDemo(*db, dopts);
    if (!sum.ok()) {
      if (sum.status().code() == "user.email_taken") {
        std::printf("demo data already present\n");
        return 0;
      }
      std::fprintf(stderr, "leadflow demo: %s\n", sum.status().ToString().c_str());
      return 1;
    }
    std::printf("demo company created: %d users, %d customers, %d leads, %d follow-ups\n", sum->users,
                sum->customers, sum->leads, sum->activities);
    return 0;
  }
  if (*backup || *restore) {
    auto stats = *backup ? BackupTo(*db, file) : RestoreFrom(*db, file);
    if (!stats.ok()) {
      std::fprintf(stderr, "leadflow: %s\n", stats.status().ToString().c_str());
      return 1;
    }
    std::printf("%s %d tables, %lld rows\n", *backup ? "backed up" : "restored", stats->tables,
                static_cast<long long>(stats->rows));
    return 0;
  }
  if (*verify) {
    auto report = EventLog::Verify(*db);
    if (!report.ok()) {
      std::fprintf(stderr, "leadflow audit verify: %s\n", report.status().ToString().c_str());
      return 2;
    }
    for (const auto& p : report->problems) std::printf("TAMPERED: %s\n", p.c_str());
    std::printf("%lld events in %lld tenants: %s\n", static_cast<long long>(report->events),
                static_cast<long long>(report->tenants),
                report->problems.empty() ? "chain intact" : "CHAIN BROKEN");
    return report->problems.empty() ? 0 : 1;
  }
  return 0;
}
