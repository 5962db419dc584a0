"""Bad input gets a clear 4xx with a stable code and changes nothing; the server stays up
(DESIGN.md §8). Tenant isolation: another tenant's ids are 404 on every route."""
import http.client
import json
import unittest

from harness import ApiTestCase, new_tenant, PASSWORD


class BadInputTest(ApiTestCase):
    def state(self):
        """A fingerprint of everything a bad request could have changed."""
        return (self.db.scalar("SELECT COUNT(*) FROM leads"), self.db.scalar("SELECT chain_seq FROM tenants WHERE name = 'Tenant A'"),
                self.db.scalar("SELECT COUNT(*) FROM custom_fields"))

    def check(self, method, path, status, code, body=None, raw=None, headers=None):
        before = self.state()
        r = self.api(method, path, body, raw=raw, headers=headers)
        self.assertProblem(r, status, code)
        self.assertEqual(self.state(), before, f"{method} {path} changed state")
        self.assertEqual(self.server.request("GET", "/healthz").status, 200)
        return r

    def test_malformed_and_hostile_bodies(self):
        self.check("POST", "/api/v1/leads", 400, "request.malformed_json", raw=b'{"name": "x"')
        self.check("POST", "/api/v1/leads", 400, "request.invalid_utf8", raw=b'{"name": "\xff\xfe"}')
        self.check("POST", "/api/v1/leads", 400, "request.body_not_object", raw=b'["name"]')
        self.check("POST", "/api/v1/leads", 400, "request.too_deep", raw=b'{"name":' + b"[" * 5000 + b"]" * 5000 + b"}")
        self.check("POST", "/api/v1/leads", 400, "request.empty_body", raw=b"")
        self.check("POST", "/api/v1/leads", 422, "validation.invalid_value", raw=b'{"name": "a\\u0000b"}')
        # A body over the limit is refused from its Content-Length, before it is read.
        before = self.state()
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        conn.putrequest("POST", "/api/v1/leads")
        conn.putheader("Authorization", "Bearer " + self.token)
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Content-Length", str(3 << 20))
        conn.endheaders()
        resp = conn.getresponse()
        self.assertEqual(resp.status, 413)
        self.assertEqual(json.loads(resp.read())["code"], "request.too_large")
        conn.close()
        self.assertEqual(self.state(), before)
        self.check("POST", "/api/v1/leads", 400, "request.unsupported_media_type", raw=b"name=x",
                   headers={"Content-Type": "application/x-www-form-urlencoded"})

    def test_schema_violations(self):
        self.check("POST", "/api/v1/leads", 422, "validation.unknown_field", {"name": "x", "is_admin": True})
        self.check("POST", "/api/v1/leads", 422, "validation.read_only", {"name": "x", "response_hours": 1})
        self.check("POST", "/api/v1/leads", 422, "validation.read_only", {"name": "x", "id": "01900000-0000-7000-8000-000000000000"})
        self.check("POST", "/api/v1/leads", 422, "validation.required", {"phone": "13800138000"})
        self.check("POST", "/api/v1/leads", 422, "validation.wrong_type", {"name": 42})
        self.check("POST", "/api/v1/leads", 422, "validation.not_an_option", {"name": "x", "channel": "tiktok"})
        self.check("POST", "/api/v1/leads", 422, "validation.too_long", {"name": "长" * 501})
        self.check("POST", "/api/v1/opportunities", 422, "validation.wrong_type", {"name": "x", "amount": 12.5})
        self.check("POST", "/api/v1/tasks", 422, "validation.timestamp_without_offset", {"title": "x", "due_at": "2026-02-22T00:15:03"})
        self.check("POST", "/api/v1/tasks", 422, "validation.bad_timestamp", {"title": "x", "due_at": "next tuesday"})
        self.check("POST", "/api/v1/contracts", 422, "validation.invalid_value", {"name": "x", "end_date": "2026-02-30"})
        self.check("POST", "/api/v1/leads", 422, "validation.bad_phone", {"name": "x", "phone": "call me"})
        r = self.check("POST", "/api/v1/schema/leads/fields", 422, "validation.bad_field_definition",
                       {"name": "Bad Name", "label_zh": "x", "type": "number"})
        self.assertEqual(r.json["field"], "name")
        self.check("POST", "/api/v1/schema/leads/fields", 422, "validation.bad_field_definition",
                   {"name": "x1", "label_zh": "x", "type": "colour"})
        self.check("POST", "/api/v1/schema/leads/fields", 422, "validation.bad_field_definition",
                   {"name": "x2", "label_zh": "x", "type": "enum"})

    def test_bad_queries(self):
        self.check("GET", "/api/v1/leads?limit=0", 400, "query.bad_limit")
        self.check("GET", "/api/v1/leads?limit=abc", 400, "query.bad_limit")
        self.check("GET", "/api/v1/leads?nosuch=1", 400, "query.unknown_field")
        self.check("GET", "/api/v1/leads?name[regex]=x", 400, "query.bad_operator")
        self.check("GET", "/api/v1/leads?sort=tags", 400, "query.bad_sort")
        self.check("GET", "/api/v1/leads?cursor=garbage", 400, "query.bad_cursor")
        self.check("GET", "/api/v1/leads?name=%FF", 400, "request.bad_target")
        self.check("PATCH", "/api/v1/leads/01900000-0000-7000-8000-000000000000", 400, "request.bad_if_match",
                   {"name": "x"}, headers={"If-Match": "yesterday"})

    def test_injection_strings_are_stored_verbatim(self):
        evil = "x'); DROP TABLE leads; -- =CMD|' /C calc'!A0 ../../etc/passwd"
        r = self.api("POST", "/api/v1/leads", {"name": evil, "company": "=1+1"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.api("GET", f"/api/v1/leads/{r.json['id']}").json["name"], evil)
        items = self.api("GET", "/api/v1/leads?name[contains]=%25%27%3B%20DROP").json["items"]
        self.assertEqual(items, [])  # '%' is matched literally, not as a wildcard
        self.assertEqual(self.server.request("GET", "/../../etc/passwd").status, 404)

    def test_unknown_routes_and_methods(self):
        self.check("GET", "/api/v1/nothing", 404, "route.not_found")
        r = self.api("PUT", "/api/v1/leads")
        self.assertEqual(r.status, 405)
        self.check("GET", "/api/v1/leads/not-a-uuid", 404, "record.not_found")


class TenantIsolationTest(ApiTestCase):
    def test_tenant_b_gets_404_for_every_tenant_a_id_on_every_route(self):
        new_tenant(self.db, "Tenant B", "admin@b.test")
        b = self.server.login("admin@b.test")
        samples = {"leads": {"name": "A的线索"}, "customers": {"name": "A的客户"}, "contacts": {"name": "A"},
                   "opportunities": {"name": "A"}, "contracts": {"name": "A"}, "activities": {"kind": "note"},
                   "tasks": {"title": "A"}, "tags": {"name": "A"}}
        for entity, body in samples.items():
            rec = self.api("POST", f"/api/v1/{entity}", body).json
            rid = rec["id"]
            for method, path, payload in [("GET", f"/api/v1/{entity}/{rid}", None),
                                          ("PATCH", f"/api/v1/{entity}/{rid}", {"tags": ["hacked"]}),
                                          ("POST", f"/api/v1/{entity}/{rid}/archive", {}),
                                          ("DELETE", f"/api/v1/{entity}/{rid}", None),
                                          ("POST", f"/api/v1/{entity}/{rid}/unarchive", None),
                                          ("GET", f"/api/v1/{entity}/{rid}/history", None)]:
                r = self.server.request(method, path, payload, token=b)
                self.assertProblem(r, 404, "record.not_found")
            listed = self.server.request("GET", f"/api/v1/{entity}?limit=200", token=b).json["items"]
            self.assertNotIn(rid, [x["id"] for x in listed])
            self.assertEqual(self.api("GET", f"/api/v1/{entity}/{rid}").json["version"], 1)
        # B cannot point its records at A's records or users either.
        a_customer = self.api("POST", "/api/v1/customers", {"name": "A2"}).json["id"]
        a_user = self.api("GET", "/api/v1/users").json["items"][0]["id"]
        r = self.server.request("POST", "/api/v1/contacts", {"name": "x", "customer_id": a_customer}, token=b)
        self.assertProblem(r, 422, "validation.unknown_reference")
        r = self.server.request("POST", "/api/v1/leads", {"name": "x", "owner_id": a_user}, token=b)
        self.assertProblem(r, 422, "validation.unknown_user")
        users_b = self.server.request("GET", "/api/v1/users", token=b).json["items"]
        self.assertEqual([u["email"] for u in users_b], ["admin@b.test"])
        # A custom field of A is not a field of B.
        self.api("POST", "/api/v1/schema/leads/fields", {"name": "secret_a", "label_zh": "A专属", "type": "text"})
        r = self.server.request("POST", "/api/v1/leads", {"name": "x", "secret_a": "y"}, token=b)
        self.assertProblem(r, 422, "validation.unknown_field")


if __name__ == "__main__":
    unittest.main()
