// Routes of the outbound side (issue 4 §6): notification channels, the outbound allow-list, the
// delivery log, and the document library. Handlers only translate HTTP to notify/ and documents/.
#include "http/api.h"

#include "base/strings.h"

namespace lf {

using json = nlohmann::json;

void Api::AddNotifyRoutes() {
  auto& channels = automation_.channels();
  auto& deliveries = automation_.deliveries();
  AddJsonRoute("GET", "/api/v1/notification-channels", "Notification channels: DingTalk / WeCom robots, SMTP, "
               "webhooks (secrets never returned)", "notify", "", "NotificationChannelList", 200,
               [&channels](Ctx& c, const json&) { return channels.List(c.principal); });
  AddJsonRoute("POST", "/api/v1/notification-channels", "Add a channel {kind, name, enabled?, is_default?, config}; "
               "URLs are checked against the outbound allow-list", "notify", "NotificationChannelInput",
               "NotificationChannel", 201, [&channels](Ctx& c, const json& b) { return channels.Create(c.principal, b); });
  AddJsonRoute("GET", "/api/v1/notification-channels/{id}", "One channel", "notify", "", "NotificationChannel", 200,
               [&channels](Ctx& c, const json&) { return channels.Get(c.principal, c.params["id"]); });
  AddJsonRoute("PATCH", "/api/v1/notification-channels/{id}", "Change a channel (config keys merge; an omitted "
               "secret is kept)", "notify", "NotificationChannelPatch", "NotificationChannel", 200,
               [&channels](Ctx& c, const json& b) { return channels.Update(c.principal, c.params["id"], b); });
  AddJsonRoute("POST", "/api/v1/notification-channels/{id}/test", "Send a test message to yourself on this channel "
               "and wait (≤ 15 s) for the outcome", "notify", "", "Delivery", 200,
               [&deliveries](Ctx& c, const json&) { return deliveries.SendTest(c.principal, c.params["id"], 15000); });
  AddJsonRoute("GET", "/api/v1/settings/outbound", "The outbound allow-list: internal addresses, networks or host "
               "names webhooks and robots may reach", "notify", "", "OutboundSettings", 200,
               [&channels](Ctx& c, const json&) { return channels.GetOutbound(c.principal); });
  AddJsonRoute("PUT", "/api/v1/settings/outbound", "Replace the outbound allow-list {allow: [...]}", "notify",
               "OutboundSettings", "OutboundSettings", 200,
               [&channels](Ctx& c, const json& b) { return channels.SetOutbound(c.principal, b); });
  AddJsonRoute("GET", "/api/v1/deliveries", "The delivery log, newest first (?status=&channel_id=&rule_id=&"
               "record_id=&cursor=&limit=)", "notify", "", "DeliveryList", 200, [&deliveries](Ctx& c, const json&) {
                 std::map<std::string, std::string> filter;
                 for (const auto& [k, v] : c.req.query) filter.emplace(k, v);
                 return deliveries.List(c.principal, filter);
               });
  AddJsonRoute("GET", "/api/v1/deliveries/{id}", "One delivery with its attempts and last error", "notify", "",
               "Delivery", 200, [&deliveries](Ctx& c, const json&) { return deliveries.Get(c.principal, c.params["id"]); });
  AddJsonRoute("POST", "/api/v1/deliveries/{id}/retry", "Queue a dead delivery again", "notify", "", "Delivery", 200,
               [&deliveries](Ctx& c, const json&) { return deliveries.Retry(c.principal, c.params["id"]); });

  AddJsonRoute("GET", "/api/v1/documents", "The document library (资料库)", "documents", "", "DocumentList", 200,
               [this](Ctx& c, const json&) { return documents_.List(c.principal); });
  router_.Add({"POST", "/api/v1/documents", "Upload a document: ?name=<file name>, the body is the file (≤ 20 MiB), "
               "Content-Type its media type", "documents", true, "", "Document", [this](Ctx& c) {
                 auto r = documents_.Upload(c.principal, QueryParam(c.req, "name"), c.req.Header("content-type"), c.req.body);
                 return r.ok() ? JsonResponse(201, *r) : Problem(r.status(), c.lang);
               }});
  router_.Add({"GET", "/api/v1/documents/{id}/content", "Download a document", "documents", true, "", "",
               [this](Ctx& c) {
                 auto r = documents_.Content(c.principal, c.params["id"]);
                 if (!r.ok()) return Problem(r.status(), c.lang);
                 if (!r->entity.empty()) {  // an attachment: only for those who may read its record
                   auto rec = records_.Get(c.principal, r->entity, r->record_id);
                   if (!rec.ok()) return Problem(Status::Error(ErrorKind::kNotFound, "document.not_found",
                                                               "document not found", "资料不存在"), c.lang);
                 }
                 Response resp;
                 resp.content_type = r->mime;
                 resp.body = std::move(r->content);
                 resp.headers.emplace_back("Content-Disposition", "attachment; filename*=UTF-8''" + UrlEncode(r->name));
                 resp.headers.emplace_back("X-Content-Type-Options", "nosniff");
                 return resp;
               }});
  AddJsonRoute("POST", "/api/v1/documents/{id}/archive", "Remove a document from the library", "documents", "",
               "", 200, [this](Ctx& c, const json&) { return documents_.Archive(c.principal, c.params["id"]); });
}

}  // namespace lf
