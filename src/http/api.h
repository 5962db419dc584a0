// The REST API: routes, the middleware every request passes (limits, auth, tenant, CSRF, language,
// metrics) and the mapping of Status to problem+json — in one place (DESIGN.md §5, §9.1).
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "events/event_log.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "identity/identity.h"
#include "imports/import_service.h"
#include "leads/cleaning.h"
#include "leads/lead_service.h"
#include "leads/pool_scheduler.h"
#include "leads/pools.h"
#include "access/live_filter.h"
#include "automation/automation.h"
#include "documents/document_store.h"
#include "records/export.h"
#include "records/record_service.h"
#include "records/saved_views.h"
#include "schema/metadata.h"
#include "storage/database.h"

namespace lf {

// The services one server process runs. Owns everything but the database and the clock.
// Thread-safe: every member is.
class Api {
 public:
  // `web_root` is the built UI (web/dist); empty or missing → a placeholder page.
  Api(Database& db, const Clock& clock, std::string web_root, automation::AutomationOptions automation = {});
  ~Api();
  // Test servers only: POST /api/v1/_test/clock {"now": RFC 3339} moves `clock`.
  void EnableTestClock(OffsetClock* clock);
  Response Handle(Request& req);
  const Router& router() const { return router_; }
  EventBus& bus() { return bus_; }
  // The services, for CLI commands that run them in-process (leadflow import).
  ImportService& imports() { return imports_; }
  IdentityService& identity() { return identity_; }
  nlohmann::json OpenApi() const;

 private:
  void AddRoutes();
  void AddLeadRoutes();
  void AddAccessRoutes();
  void AddAutomationRoutes();
  void AddNotifyRoutes();  // notification channels, deliveries, outbound allow-list, documents
  void AddEntityRoutes(const EntityDef& e);
  // A route whose handler maps (context, JSON body) to a JSON result: parses the body when
  // `request_schema` is set, answers `ok` (with an ETag for records) or the problem.
  void AddJsonRoute(const char* method, std::string pattern, std::string summary, std::string tag,
                    std::string request_schema, std::string response_schema, int ok,
                    std::function<Result<nlohmann::json>(Ctx&, const nlohmann::json&)> fn);
  Response Dispatch(Request& req);
  Response ServeStatic(const Request& req);

  Database& db_;
  const Clock& clock_;
  std::string web_root_;
  EventBus bus_;
  EventLog events_;
  SchemaRegistry schemas_;
  IdentityService identity_;
  AccessService access_;
  LiveFilter live_;  // the live stream's access filter, fed by bus_
  uint64_t live_feed_ = 0;  // bus_ subscription feeding live_
  RecordService records_;
  LeadService leads_;
  LeadCleaning cleaning_;
  LeadPools pools_;
  RecordExporter exporter_;
  ImportService imports_;  // its worker thread uses the services above
  DocumentStore documents_;
  SavedViews views_;
  automation::Automation automation_;  // its engine thread uses the services above
  PoolScheduler pool_scheduler_;       // the daily reclaim pass; its thread uses the services above
  Metrics metrics_;
  Router router_;
};

// Status → HTTP status code (the one place that mapping lives).
int HttpStatusFor(ErrorKind kind);
Response Problem(const Status& s, Lang lang);
Response JsonResponse(int status, const nlohmann::json& body);
// The first value of query parameter `key`, or "".
std::string QueryParam(const Request& req, const std::string& key);

}  // namespace lf
