// leadflow: the CRM server binary and its subcommands (serve, migrate, init, demo, backup, restore,
// audit verify). Only argument handling and wiring live here.
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include <spdlog/spdlog.h>

#include "base/crypto.h"
#include "base/strings.h"
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
          bool test_clock, automation::AutomationOptions automation) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // every thread started below inherits the mask
  signal(SIGPIPE, SIG_IGN);
  auto db = OpenOrDie(db_url, std::max(4, opts.io_threads * 4));
  OffsetClock clock;  // the system clock unless --test-clock moves it
  if (automation.public_url.empty() && opts.port != 0)
    automation.public_url = "http://" + opts.address + ":" + std::to_string(opts.port);
  Api api(*db, clock, web, std::move(automation));
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

// leadflow import: runs an import in-process with a progress bar; per-row errors go to FILE.errors.csv.
int Import(const std::string& db_url, const std::string& file, const std::string& entity,
           const std::string& time_zone, const std::string& as_email, const std::vector<std::string>& maps,
           const std::string& encoding, bool dry_run) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "leadflow import: cannot read %s\n", file.c_str());
    return 2;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto db = OpenOrDie(db_url);
  SystemClock clock;
  Api api(*db, clock, "");
  // Who imports: --as EMAIL, or the first admin when the database holds a single company.
  std::string tenant_id, user_id;
  Status found = db->Read([&](Connection& c) -> Status {
    LF_ASSIGN(auto rows, as_email.empty()
                             ? c.Query("SELECT tenant_id, id FROM users WHERE role = 'admin' AND (SELECT COUNT(*) "
                                       "FROM tenants) = 1 ORDER BY created_at LIMIT 1")
                             : c.Query("SELECT tenant_id, id FROM users WHERE email = ?", {AsciiLower(as_email)}));
    if (!rows.empty()) {
      tenant_id = AsText(rows.rows[0][0]);
      user_id = AsText(rows.rows[0][1]);
    }
    return Status::Ok();
  });
  if (!found.ok() || user_id.empty()) {
    std::fprintf(stderr, "leadflow import: name the importing user with --as EMAIL\n");
    return 2;
  }
  auto p = api.identity().PrincipalFor(tenant_id, user_id);
  if (!p.ok()) {
    std::fprintf(stderr, "leadflow import: %s\n", p.status().ToString().c_str());
    return 2;
  }
  auto fail = [](const Status& st) {
    std::fprintf(stderr, "\nleadflow import: %s\n", st.ToString().c_str());
    return 1;
  };
  auto up = api.imports().Upload(*p, entity, std::filesystem::path(file).filename().string(), bytes, encoding);
  if (!up.ok()) return fail(up.status());
  nlohmann::json mapping = (*up)["suggested_mapping"];
  for (const auto& m : maps) {
    auto eq = m.find('=');
    if (eq == std::string::npos) return fail(Status::Error(ErrorKind::kInvalidArgument, "cli.bad_map", "--map takes COLUMN=FIELD", "--map 格式为 列名=字段名"));
    mapping[m.substr(0, eq)] = m.substr(eq + 1);
  }
  nlohmann::json body = {{"mapping", mapping}};
  if (!time_zone.empty()) body["time_zone"] = time_zone;
  std::printf("%s: %lld rows, %s; mapping %s\n", file.c_str(), static_cast<long long>((*up)["row_count"].get<int64_t>()),
              (*up)["encoding"].get<std::string>().c_str(), mapping.dump().c_str());
  if (dry_run) {
    auto dry = api.imports().DryRun(*p, (*up)["id"], body, false);
    if (!dry.ok()) return fail(dry.status());
    std::printf("dry run: %lld valid, %lld invalid\n", static_cast<long long>((*dry)["valid"].get<int64_t>()),
                static_cast<long long>((*dry)["invalid"].get<int64_t>()));
    for (const auto& e : (*dry)["errors"])
      std::printf("  row %lld %s: %s\n", static_cast<long long>(e["row"].get<int64_t>()), e["code"].get<std::string>().c_str(),
                  e["detail"].get<std::string>().c_str());
    return (*dry)["invalid"].get<int64_t>() == 0 ? 0 : 1;
  }
  auto started = api.imports().Start(*p, (*up)["id"], body);
  if (!started.ok()) return fail(started.status());
  nlohmann::json st;
  while (true) {
    auto cur = api.imports().Get(*p, (*up)["id"]);
    if (!cur.ok()) return fail(cur.status());
    st = *cur;
    int64_t done = st["processed"], total = st["row_count"];
    int width = 30, filled = total ? int(done * width / total) : width;
    std::printf("\r[%s%s] %3lld%% %lld/%lld", std::string(size_t(filled), '#').c_str(),
                std::string(size_t(width - filled), '.').c_str(), static_cast<long long>(total ? done * 100 / total : 100),
                static_cast<long long>(done), static_cast<long long>(total));
    std::fflush(stdout);
    if (st["status"] == "done") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::printf("\nimported %lld, duplicates (touches) %lld, failed %lld\n",
              static_cast<long long>(st["imported"].get<int64_t>()), static_cast<long long>(st["duplicates"].get<int64_t>()),
              static_cast<long long>(st["failed"].get<int64_t>()));
  if (st["failed"].get<int64_t>() > 0) {
    auto csv = api.imports().ErrorsCsv(*p, (*up)["id"], false);
    if (csv.ok()) {
      std::ofstream(file + ".errors.csv", std::ios::binary) << *csv;
      std::printf("per-row errors: %s.errors.csv\n", file.c_str());
    }
  }
  db->Close();
  return st["failed"].get<int64_t>() > 0 ? 1 : 0;
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
  automation::AutomationOptions aopts;
  serve->add_option("--public-url", aopts.public_url,
                    "Address of this server as users reach it, for links in notifications (default http://ADDRESS:PORT)");
  double outbound_timeout_s = 10;
  serve->add_option("--outbound-timeout", outbound_timeout_s,
                    "Seconds a webhook / robot / SMTP delivery attempt may take (default 10)");
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

  auto* import = app.add_subcommand("import", "Import a CSV (UTF-8 or GBK) with a progress bar");
  std::string import_entity = "leads", import_zone, import_as, import_encoding = "auto";
  std::vector<std::string> import_maps;
  bool import_dry = false;
  import->add_option("--db", db_url, "Database URL");
  import->add_option("file", file, "CSV file")->required();
  import->add_option("--entity", import_entity, "Entity to import into (default leads)");
  import->add_option("--timezone", import_zone, "Zone of times without an offset in the file, e.g. Asia/Shanghai");
  import->add_option("--as", import_as, "Email of the importing user (default: the admin of a single company)");
  import->add_option("--map", import_maps, "COLUMN=FIELD (repeatable; default: columns matched by name/label)");
  import->add_option("--encoding", import_encoding, "auto (default), utf-8 or gbk");
  import->add_flag("--dry-run", import_dry, "Check every row, write nothing");

  auto* audit = app.add_subcommand("audit", "Audit log tools");
  auto* verify = audit->add_subcommand("verify", "Check the hash chain of every tenant's event log");
  verify->add_option("--db", db_url, "Database URL");
  audit->require_subcommand(1);

  CLI11_PARSE(app, argc, argv);

  if (*serve) {
    aopts.delivery.timeout_ms = int64_t(outbound_timeout_s * 1000);
    aopts.delivery.connect_timeout_ms = std::min<int64_t>(aopts.delivery.connect_timeout_ms, aopts.delivery.timeout_ms);
    return Serve(db_url, sopts, web, test_clock, std::move(aopts));
  }
  if (*import)
    return Import(db_url, file, import_entity, import_zone, import_as, import_maps, import_encoding, import_dry);
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
