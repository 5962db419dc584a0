"""Cross-tenant id guessing on every route with a path parameter: tenant B's admin sends tenant A's
real ids and gets 404 (never 403, which would confirm the id exists), and A's data is unchanged.
The route list comes from the server's own OpenAPI document, so a new route without a case here
fails the test."""
import time
import unittest

from harness import ApiTestCase, PASSWORD, new_tenant

ENTITIES = ("leads", "customers", "contacts", "opportunities", "contracts", "activities", "tasks", "tags")
# Parameters that name metadata shared by every tenant (entity and field names), not a tenant's rows.
METADATA_ROUTES = {"/api/v1/schema/{entity}/fields", "/api/v1/schema/{entity}/fields/{field}/options",
                   "/api/v1/sensitive-fields/{entity}/{field}", "/api/v1/rule-templates/{id}/install"}


class CrossTenantRoutesTest(ApiTestCase):
    def test_every_parameterised_route_answers_404_to_another_tenant(self):
        a = lambda m, p, b=None, **kw: self.api(m, p, b, **kw)
        me = a("GET", "/api/v1/me").json
        me_id = me.get("user", me).get("id")
        sales = a("POST", "/api/v1/users", {"email": "sa@a.test", "name": "A销售", "password": PASSWORD,
                                            "role": "sales", "department_id": None, "manager_id": me_id}).json
        sales_tok = self.server.login("sa@a.test")
        auto = a("POST", "/api/v1/rules", {"name": "A自动化", "trigger": {"event": "lead.created"},
                                           "condition": 'lead.name == "A的线索"',
                                           "actions": [{"type": "alert", "kind": "a", "title": "A预警",
                                                        "silent_period": "send"}]}).json
        lead = a("POST", "/api/v1/leads", {"name": "A的线索", "owner_id": sales["id"]}).json
        a("PUT", "/api/v1/sensitive-fields/leads/wechat", {"sensitive": True})
        request = self.api("POST", "/api/v1/access-requests", {"entity": "leads", "record_id": lead["id"],
                                                              "fields": ["wechat"], "purpose": "tender"},
                           token=sales_tok).json
        rule = a("POST", "/api/v1/access-rules", {"name": "A规则", "entity": "contracts", "match": {"tag": "A"},
                                                  "allow": {"user_fields": ["owner_id"]}}).json
        arule = a("POST", "/api/v1/assignment-rules", {"name": "A分配", "strategy": "round_robin",
                                                       "members": [{"user_id": sales["id"]}]}).json
        dept = a("POST", "/api/v1/departments", {"name": "A部门"}).json
        grant = a("POST", "/api/v1/grants", {"entity": "leads", "record_id": lead["id"], "grantee_id": sales["id"]}).json
        up = self.server.request("POST", "/api/v1/imports?entity=leads", raw="姓名,手机\r\n张三,13800000000\r\n".encode(),
                                 token=self.token, headers={"Content-Type": "text/csv"}).json
        source = a("POST", "/api/v1/intake-sources", {"name": "A官网", "channel": "website"}).json
        run = a("POST", "/api/v1/lead-cleaning/runs", {"older_than_days": 3650}).json
        pool = a("POST", "/api/v1/pools", {"name": "A公海", "rules": {}}).json
        role = a("POST", "/api/v1/roles", {"name": "a_only", "label_zh": "A专属"}).json
        channel = a("POST", "/api/v1/notification-channels", {"kind": "webhook", "name": "A钩子",
                                                              "config": {"url": "https://hooks.example.invalid/a"}}).json
        delivery = a("POST", f"/api/v1/notification-channels/{channel['id']}/test").json
        doc = self.server.request("POST", "/api/v1/documents?name=A资料.pdf", raw=b"%PDF-1.4 A", token=self.token,
                                  headers={"Content-Type": "application/pdf"}).json
        view = a("POST", "/api/v1/views", {"entity": "leads", "name": "A视图", "query": "stage=lead"}).json
        alert = None
        for _ in range(100):
            alert = next((x for x in a("GET", "/api/v1/alerts").json["items"] if x["record_id"] == lead["id"]), None)
            if alert:
                break
            time.sleep(0.1)
        for obj in (sales, lead, request, rule, arule, dept, grant, up, source, run, pool, role, auto, alert, channel,
                    delivery, doc, view):
            self.assertTrue(obj and ("id" in obj or "name" in obj), obj)

        # path → (A's value for its parameter, a body B sends that would be valid for its own object)
        cases = {
            "/api/v1/access-requests/{id}/approve": (request["id"], {}),
            "/api/v1/access-requests/{id}/reject": (request["id"], {"note": "x"}),
            "/api/v1/access-rules/{id}": (rule["id"], {"enabled": False}),
            "/api/v1/assignment-rules/{id}": (arule["id"], {"enabled": False}),
            "/api/v1/departments/{id}": (dept["id"], {"name": "被改"}),
            "/api/v1/grants/{id}/revoke": (grant["id"], None),
            "/api/v1/imports/{id}": (up["id"], None),
            "/api/v1/imports/{id}/dry-run": (up["id"], {"mapping": {"姓名": "name"}, "time_zone": "Asia/Shanghai"}),
            "/api/v1/imports/{id}/errors": (up["id"], None),
            "/api/v1/imports/{id}/start": (up["id"], {"mapping": {"姓名": "name"}, "time_zone": "Asia/Shanghai"}),
            "/api/v1/intake-sources/{id}/rotate-key": (source["id"], None),
            "/api/v1/intake-sources/{id}": (source["id"], {"enabled": False}),
            "/api/v1/lead-cleaning/runs/{id}/undo": (run["id"], {"reason": "x"}),
            "/api/v1/pools/{id}": (pool["id"], {"name": "被改"}),
            "/api/v1/pools/{id}/claim": (pool["id"], {"lead_id": lead["id"]}),
            "/api/v1/pools/{id}/reclaim": (pool["id"], {}),
            "/api/v1/pools/{id}/reclaim-preview": (pool["id"], None),
            "/api/v1/pools/{id}/release": (pool["id"], {"lead_id": lead["id"], "reason": "x"}),
            "/api/v1/pools/{id}/transfer": (pool["id"], {"lead_id": lead["id"], "to_pool_id": pool["id"]}),
            "/api/v1/roles/{name}": ("a_only", {"label_zh": "被改"}),
            "/api/v1/users/{id}": (sales["id"], {"name": "被改"}),
            "/api/v1/leads/{id}/assign": (lead["id"], {"owner_id": sales["id"]}),
            "/api/v1/rules/{id}": (auto["id"], {"enabled": False}),
            "/api/v1/rules/{id}/dry-run": (auto["id"], {}),
            "/api/v1/alerts/{id}/ack": (alert["id"], None),
            "/api/v1/alerts/{id}/resolve": (alert["id"], None),
            "/api/v1/notification-channels/{id}": (channel["id"], {"name": "被改"}),
            "/api/v1/notification-channels/{id}/test": (channel["id"], None),
            "/api/v1/deliveries/{id}": (delivery["id"], None),
            "/api/v1/deliveries/{id}/retry": (delivery["id"], None),
            "/api/v1/documents/{id}/content": (doc["id"], None),
            "/api/v1/documents/{id}/archive": (doc["id"], None),
            "/api/v1/views/{id}": (view["id"], {"name": "被改"}),
        }
        new_tenant(self.db, "Tenant B", "admin@b.test")
        b = self.server.login("admin@b.test")
        b_me = self.server.request("GET", "/api/v1/me", token=b).json
        cases["/api/v1/leads/{id}/assign"] = (lead["id"], {"owner_id": b_me.get("user", b_me).get("id")})
        spec = self.api("GET", "/api/openapi.json").json
        checked = 0
        for path, methods in spec["paths"].items():
            if "{" not in path or path in METADATA_ROUTES or path == "/api/v1/intake/{source}":
                continue
            if any(path.startswith(f"/api/v1/{e}/{{id}}") for e in ENTITIES) and path != "/api/v1/leads/{id}/assign":
                continue  # the entity routes: test_bad_input.TenantIsolationTest
            self.assertIn(path, cases, "a route with a path parameter has no cross-tenant case: " + path)
            value, body = cases[path]
            for method in methods:
                concrete = path.replace("{id}", value).replace("{name}", value)
                r = self.server.request(method.upper(), concrete, body if method != "get" else None, token=b)
                self.assertEqual(r.status, 404, (method, concrete, r))
                checked += 1
        self.assertGreaterEqual(checked, len(cases))
        # The intake URL of A's source with B's key is refused, with A's key only A's tenant gets the lead.
        r = self.server.request("POST", f"/api/v1/intake/{source['id']}", {"name": "x"}, headers={"X-Intake-Key": "wrong"})
        self.assertIn(r.status, (401, 403, 404), r)
        # A's objects are unchanged.
        self.assertEqual(a("GET", "/api/v1/access-requests").json["items"][0]["status"], "pending")
        self.assertTrue([x for x in a("GET", "/api/v1/access-rules").json["items"] if x["id"] == rule["id"]][0]["enabled"])
        self.assertEqual([x for x in a("GET", "/api/v1/grants").json["items"] if x["id"] == grant["id"]][0]["state"], "active")
        self.assertEqual([x for x in a("GET", "/api/v1/pools").json["items"] if x["id"] == pool["id"]][0]["name"], "A公海")
        self.assertEqual([x for x in a("GET", "/api/v1/users").json["items"] if x["id"] == sales["id"]][0]["name"], "A销售")
        self.assertEqual(a("GET", f"/api/v1/leads/{lead['id']}").json["owner_id"], sales["id"])
        self.assertTrue(a("GET", f"/api/v1/rules/{auto['id']}").json["enabled"])
        self.assertEqual([x for x in a("GET", "/api/v1/alerts").json["items"] if x["id"] == alert["id"]][0]["state"], "open")
        self.assertEqual(a("GET", f"/api/v1/notification-channels/{channel['id']}").json["name"], "A钩子")
        self.assertEqual([x["id"] for x in a("GET", "/api/v1/documents").json["items"]], [doc["id"]])
        self.assertEqual([x["name"] for x in a("GET", "/api/v1/views?entity=leads").json["items"]], ["A视图"])


if __name__ == "__main__":
    unittest.main()
