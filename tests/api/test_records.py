"""Metadata-driven records: CRUD for every entity, If-Match, archive, lists with filters, sort and
cursors, custom fields at runtime, history, idempotency keys."""
import unittest

from harness import ApiTestCase

ENTITY_SAMPLES = {
    "leads": {"name": "张总", "phone": "+8613800138000", "channel": "douyin_form", "first_touch": "book_demo"},
    "customers": {"name": "杭州云帆科技有限公司", "level": "key"},
    "contacts": {"name": "李经理", "email": "li@example.cn", "is_primary": True},
    "opportunities": {"name": "CRM采购", "amount": 12345600, "expected_close_date": "2026-12-31"},
    "contracts": {"name": "年度合同", "amount": 50000000, "status": "signed", "end_date": "2027-06-30"},
    "activities": {"kind": "call", "content": "电话沟通", "occurred_at": "2026-11-24T10:00:00+08:00"},
    "tasks": {"title": "发送方案", "due_at": "2026-11-25T18:00:00+08:00"},
    "tags": {"name": "战略客户"},
}


class RecordsTest(ApiTestCase):
    def test_every_entity_supports_create_get_update_archive(self):
        for entity, body in ENTITY_SAMPLES.items():
            with self.subTest(entity=entity):
                r = self.api("POST", f"/api/v1/{entity}", body)
                self.assertEqual(r.status, 201, r)
                rec = r.json
                self.assertEqual(r.headers["ETag"], '"1"')
                self.assertEqual(r.headers["Location"], f"/api/v1/{entity}/{rec['id']}")
                for k, v in body.items():
                    if k not in ("occurred_at", "due_at"):
                        self.assertEqual(rec[k], v)
                got = self.api("GET", f"/api/v1/{entity}/{rec['id']}")
                self.assertEqual(got.json, rec)
                upd = self.api("PATCH", f"/api/v1/{entity}/{rec['id']}", {"tags": ["重点"]}, headers={"If-Match": '"1"'})
                self.assertEqual(upd.status, 200, upd)
                self.assertEqual(upd.json["version"], 2)
                self.assertEqual(upd.json["tags"], ["重点"])
                arc = self.api("POST", f"/api/v1/{entity}/{rec['id']}/archive", {"reason": "测试"})
                self.assertEqual(arc.status, 200, arc)
                self.assertIsNotNone(arc.json["archived_at"])
                ids = [x["id"] for x in self.api("GET", f"/api/v1/{entity}?limit=200").json["items"]]
                self.assertNotIn(rec["id"], ids)
                ids = [x["id"] for x in self.api("GET", f"/api/v1/{entity}?limit=200&include_archived=true").json["items"]]
                self.assertIn(rec["id"], ids)
                self.assertEqual(self.api("POST", f"/api/v1/{entity}/{rec['id']}/unarchive").json["archived_at"], None)

    def test_datetimes_are_returned_in_the_tenant_zone(self):
        r = self.api("POST", "/api/v1/tasks", {"title": "t", "due_at": "2026-02-22T00:15:03Z"})
        self.assertEqual(r.json["due_at"], "2026-02-22T08:15:03+08:00")

    def test_completing_a_task_stamps_its_done_time(self):
        self.server.set_clock("2026-03-02T10:00:00+08:00")
        try:
            task = self.api("POST", "/api/v1/tasks", {"title": "回访"}).json
            self.assertIsNone(task.get("done_at"))
            done = self.api("PATCH", f"/api/v1/tasks/{task['id']}", {"status": "done"}).json
            self.assertRegex(done["done_at"], r"^2026-03-02T10:00:00(\.\d+)?\+08:00$")
            reopened = self.api("PATCH", f"/api/v1/tasks/{task['id']}", {"status": "open"}).json
            self.assertIsNone(reopened.get("done_at"))
            # A time given with the change wins (a task done yesterday, recorded today).
            back = self.api("PATCH", f"/api/v1/tasks/{task['id']}",
                            {"status": "done", "done_at": "2026-03-01T17:30:00+08:00"}).json
            self.assertEqual(back["done_at"], "2026-03-01T17:30:00+08:00")
        finally:
            self.server.reset_clock()

    def test_if_match_mismatch_is_412_and_changes_nothing(self):
        rec = self.api("POST", "/api/v1/leads", {"name": "A"}).json
        self.api("PATCH", f"/api/v1/leads/{rec['id']}", {"name": "B"}, headers={"If-Match": '"1"'})
        r = self.api("PATCH", f"/api/v1/leads/{rec['id']}", {"name": "C"}, headers={"If-Match": '"1"'})
        self.assertProblem(r, 412, "precondition.version_mismatch")
        self.assertEqual(self.api("GET", f"/api/v1/leads/{rec['id']}").json["name"], "B")

    def test_references_must_exist_in_the_tenant(self):
        r = self.api("POST", "/api/v1/contacts", {"name": "x", "customer_id": "01900000-0000-7000-8000-000000000000"})
        self.assertProblem(r, 422, "validation.unknown_reference")
        r = self.api("POST", "/api/v1/leads", {"name": "x", "owner_id": "01900000-0000-7000-8000-000000000000"})
        self.assertProblem(r, 422, "validation.unknown_user")

    def test_list_filters_sort_and_cursor_cover_every_row_once(self):
        self.api("POST", "/api/v1/schema/leads/fields", {"name": "budget", "label_zh": "预算", "type": "money"})
        made = []
        for i in range(23):
            body = {"name": f"L{i:02d}", "channel": "zhihu" if i % 2 else "website", "budget": (i % 5) * 100}
            if i % 7 == 0:
                del body["budget"]
            made.append(self.api("POST", "/api/v1/leads", body).json["id"])
        for sort in ("-created_at", "name", "-name", "budget", "-budget", "channel"):
            seen, cursor = [], None
            while True:
                q = f"/api/v1/leads?limit=5&sort={sort}&name[contains]=L" + (f"&cursor={cursor}" if cursor else "")
                page = self.api("GET", q)
                self.assertEqual(page.status, 200, page)
                seen += [x["id"] for x in page.json["items"]]
                cursor = page.json["next_cursor"]
                if not cursor:
                    break
            self.assertEqual(sorted(seen), sorted(made), sort)
            self.assertEqual(len(seen), len(set(seen)), sort)
        names = [x["name"] for x in self.api("GET", "/api/v1/leads?sort=name&limit=200&name[contains]=L").json["items"]]
        self.assertEqual(names, sorted(names))
        zhihu = self.api("GET", "/api/v1/leads?channel=zhihu&with_total=true&limit=200").json
        self.assertEqual(zhihu["total"], 11)
        self.assertTrue(all(x["channel"] == "zhihu" for x in zhihu["items"]))
        rich = self.api("GET", "/api/v1/leads?budget[gte]=300&limit=200").json["items"]
        self.assertEqual(sorted(x["budget"] for x in rich), sorted(b for b in [(i % 5) * 100 for i in range(23) if i % 7] if b >= 300))
        both = self.api("GET", "/api/v1/leads?channel[in]=zhihu,website&limit=200&name[contains]=L").json["items"]
        self.assertEqual(len(both), 23)
        none_budget = self.api("GET", "/api/v1/leads?budget[null]=true&name[contains]=L&limit=200").json["items"]
        self.assertEqual(len(none_budget), 4)

    def test_created_at_range_filter_needs_an_offset(self):
        r = self.api("GET", "/api/v1/leads?created_at[gte]=2026-01-01T00:00:00")
        self.assertProblem(r, 400, "validation.timestamp_without_offset")
        r = self.api("GET", "/api/v1/leads?created_at[gte]=2000-01-01T00:00:00%2B08:00")
        self.assertEqual(r.status, 200, r)

    def test_custom_field_is_usable_at_once(self):
        r = self.api("POST", "/api/v1/schema/leads/fields",
                     {"name": "esg_score", "label_zh": "ESG评分", "label_en": "ESG score", "type": "number"})
        self.assertEqual(r.status, 201, r)
        fields = {f["name"]: f for e in self.api("GET", "/api/v1/schema").json["entities"] if e["name"] == "leads" for f in e["fields"]}
        self.assertEqual(fields["esg_score"]["label_zh"], "ESG评分")
        self.assertFalse(fields["esg_score"]["builtin"])
        bad = self.api("POST", "/api/v1/leads", {"name": "x", "esg_score": "high"})
        self.assertProblem(bad, 422, "validation.wrong_type")
        a = self.api("POST", "/api/v1/leads", {"name": "ESG-A", "esg_score": 71.5}).json
        b = self.api("POST", "/api/v1/leads", {"name": "ESG-B", "esg_score": 90}).json
        self.assertEqual(a["esg_score"], 71.5)
        top = self.api("GET", "/api/v1/leads?esg_score[gt]=80").json["items"]
        self.assertEqual([x["id"] for x in top], [b["id"]])
        order = [x["id"] for x in self.api("GET", "/api/v1/leads?sort=-esg_score&esg_score[null]=false").json["items"]]
        self.assertEqual(order, [b["id"], a["id"]])
        dup = self.api("POST", "/api/v1/schema/leads/fields", {"name": "esg_score", "label_zh": "x", "type": "text"})
        self.assertProblem(dup, 409, "schema.field_exists")
        clash = self.api("POST", "/api/v1/schema/leads/fields", {"name": "phone", "label_zh": "x", "type": "text"})
        self.assertProblem(clash, 409, "schema.field_exists")

    def test_enum_custom_field_validates_options(self):
        r = self.api("POST", "/api/v1/schema/customers/fields",
                     {"name": "tier", "label_zh": "分级", "type": "enum", "options": ["A", "B"], "required": False})
        self.assertEqual(r.status, 201, r)
        self.assertProblem(self.api("POST", "/api/v1/customers", {"name": "c", "tier": "Z"}), 422, "validation.not_an_option")
        self.assertEqual(self.api("POST", "/api/v1/customers", {"name": "c", "tier": "A"}).json["tier"], "A")
        self.assertProblem(self.api("GET", "/api/v1/customers?tier=Z"), 400, "query.bad_filter_value")

    def test_history_shows_who_changed_what_from_what_to_what(self):
        rec = self.api("POST", "/api/v1/leads", {"name": "王总", "channel": "website"}).json
        self.api("PATCH", f"/api/v1/leads/{rec['id']}", {"channel": "trade_show", "color": "red"})
        h = self.api("GET", f"/api/v1/leads/{rec['id']}/history").json["items"]
        self.assertEqual([x["type"] for x in h], ["lead.created", "lead.updated"])
        self.assertEqual(h[1]["actor"]["name"], "管理员")
        changes = {c["field"]: (c["old"], c["new"]) for c in h[1]["changes"]}
        self.assertEqual(changes, {"channel": ("website", "trade_show"), "color": (None, "red")})
        self.assertTrue(h[0]["at"].endswith("+08:00"))

    def test_idempotency_key_replays_and_refuses_reuse(self):
        key = {"Idempotency-Key": "abc-123"}
        a = self.api("POST", "/api/v1/leads", {"name": "幂等"}, headers=key)
        b = self.api("POST", "/api/v1/leads", {"name": "幂等"}, headers=key)
        self.assertEqual(a.status, 201)
        self.assertEqual(b.status, 201)
        self.assertEqual(a.json["id"], b.json["id"])
        self.assertEqual(b.headers.get("Idempotent-Replayed"), "true")
        n = self.api("GET", "/api/v1/leads?name=幂等&with_total=true".replace("幂等", "%E5%B9%82%E7%AD%89")).json["total"]
        self.assertEqual(n, 1)
        c = self.api("POST", "/api/v1/leads", {"name": "不同"}, headers=key)
        self.assertProblem(c, 422, "idempotency.key_reused")

    def test_search_q_matches_name_phone_and_company(self):
        self.api("POST", "/api/v1/leads", {"name": "搜索目标", "company": "独一无二有限公司", "phone": "13912345678"})
        for q in ("%E7%8B%AC%E4%B8%80%E6%97%A0%E4%BA%8C", "13912345678"):
            items = self.api("GET", f"/api/v1/leads?q={q}").json["items"]
            self.assertEqual([x["name"] for x in items], ["搜索目标"])


if __name__ == "__main__":
    unittest.main()
