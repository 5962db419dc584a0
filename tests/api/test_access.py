"""Access control (issue 5): data scopes along the org chart, the supervisor who reads but edits no
customer, restricting tag rules, temporary grants with expiry and revocation, sensitive fields
masked on every path with purpose-bound requests, mass assignment, explain, and a policy change
that applies to the very next request."""
import datetime
import http.client
import json
import unittest

from harness import ApiTestCase, PASSWORD, Server


class AccessTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        req = lambda m, p, b=None: cls.server.request(m, p, b, token=cls.token)
        root = req("GET", "/api/v1/departments").json["items"][0]["id"]
        sales = req("POST", "/api/v1/departments", {"name": "销售部", "parent_id": root}).json["id"]
        east = req("POST", "/api/v1/departments", {"name": "华东组", "parent_id": sales}).json["id"]
        south = req("POST", "/api/v1/departments", {"name": "华南组", "parent_id": sales}).json["id"]
        strategy = req("POST", "/api/v1/departments", {"name": "战略部", "parent_id": root}).json["id"]
        cls.depts = {"sales": sales, "east": east, "south": south, "strategy": strategy}
        cls.ids = {}

        def user(name, role, dept, manager=None):
            body = {"email": f"{name}@a.test", "name": name, "password": PASSWORD, "role": role,
                    "department_id": dept}
            if manager:
                body["manager_id"] = cls.ids[manager]
            r = req("POST", "/api/v1/users", body)
            assert r.status == 201, r
            cls.ids[name] = r.json["id"]

        user("sup", "supervisor", sales)
        user("s1", "sales", east, "sup")
        user("s2", "sales", south, "sup")
        user("strat", "supervisor", strategy)
        cls.tok = {n: cls.server.login(f"{n}@a.test") for n in ("sup", "s1", "s2", "strat")}

    def tearDown(self):
        self.server.reset_clock()

    def as_(self, who, method, path, body=None):
        return self.api(method, path, body, token=self.tok[who] if who != "admin" else self.token)

    def lead(self, who, **fields):
        fields.setdefault("name", "客户" + who)
        r = self.as_(who, "POST", "/api/v1/leads", fields)
        self.assertEqual(r.status, 201, r)
        return r.json

    def visible_ids(self, who, entity="leads", query=""):
        r = self.as_(who, "GET", f"/api/v1/{entity}?limit=200&with_total=true{query}")
        self.assertEqual(r.status, 200, r)
        ids = [x["id"] for x in r.json["items"]]
        self.assertEqual(r.json["total"], len(ids))  # counts carry the same predicate
        return set(ids)

    # --- data scopes (P7) -------------------------------------------------------------------

    def test_scopes_follow_the_org_chart(self):
        a = self.lead("s1", phone="13900000001")
        b = self.lead("s2", phone="13900000002")
        self.assertIn(a["id"], self.visible_ids("s1"))
        self.assertNotIn(b["id"], self.visible_ids("s1"))
        self.assertTrue({a["id"], b["id"]} <= self.visible_ids("sup"))  # department and below
        self.assertFalse({a["id"], b["id"]} & self.visible_ids("strat"))  # another department
        self.assertTrue({a["id"], b["id"]} <= self.visible_ids("admin"))
        # Another's record is "not found", never "forbidden" (existence is not confirmed).
        self.assertProblem(self.as_("s2", "GET", f"/api/v1/leads/{a['id']}"), 404, "record.not_found")
        self.assertProblem(self.as_("s2", "PATCH", f"/api/v1/leads/{a['id']}", {"name": "x"}), 404, "record.not_found")
        self.assertProblem(self.as_("s2", "POST", f"/api/v1/leads/{a['id']}/archive", {}), 404, "record.not_found")
        self.assertProblem(self.as_("s2", "GET", f"/api/v1/leads/{a['id']}/history"), 404, "record.not_found")
        # Nothing changed.
        self.assertEqual(self.as_("s1", "GET", f"/api/v1/leads/{a['id']}").json["version"], 1)

    def test_follow_ups_are_visible_with_their_lead(self):
        a = self.lead("s1")
        r = self.as_("sup", "POST", "/api/v1/activities", {"kind": "call", "content": "主管陪访", "lead_id": a["id"]})
        self.assertEqual(r.status, 201, r)
        # The owner of the lead sees the supervisor's follow-up on it (inherit via lead_id).
        self.assertIn(r.json["id"], self.visible_ids("s1", "activities", f"&lead_id={a['id']}"))
        self.assertNotIn(r.json["id"], self.visible_ids("s2", "activities"))
        # Attaching a follow-up to a lead one cannot see is refused as an unknown reference.
        r = self.as_("s2", "POST", "/api/v1/activities", {"kind": "call", "lead_id": a["id"]})
        self.assertProblem(r, 422, "validation.unknown_reference")

    def test_supervisor_reads_the_team_but_edits_no_customer(self):
        c = self.as_("s1", "POST", "/api/v1/customers", {"name": "华东客户"}).json
        r = self.as_("sup", "GET", f"/api/v1/customers/{c['id']}")
        self.assertEqual(r.status, 200, r)
        self.assertProblem(self.as_("sup", "PATCH", f"/api/v1/customers/{c['id']}", {"name": "改名"}), 403, "access.forbidden")
        self.assertProblem(self.as_("sup", "POST", "/api/v1/customers", {"name": "新客户"}), 403, "access.forbidden")
        self.assertEqual(self.as_("s1", "GET", f"/api/v1/customers/{c['id']}").json["name"], "华东客户")

    def test_mass_assignment_of_owner_is_refused(self):
        r = self.as_("s1", "POST", "/api/v1/leads", {"name": "塞给别人", "owner_id": self.ids["s2"]})
        self.assertProblem(r, 403, "access.owner_out_of_scope")
        a = self.lead("s1")
        r = self.as_("s1", "PATCH", f"/api/v1/leads/{a['id']}", {"owner_id": self.ids["s2"]})
        self.assertProblem(r, 403, "access.owner_out_of_scope")
        r = self.as_("s1", "POST", f"/api/v1/leads/{a['id']}/assign", {"owner_id": self.ids["s2"]})
        self.assertProblem(r, 403, "access.owner_out_of_scope")
        # The supervisor may hand it to anyone in the department tree — by assignment (an event with
        # its reason and the silent period), not by editing owner_id.
        r = self.as_("sup", "PATCH", f"/api/v1/leads/{a['id']}", {"owner_id": self.ids["s2"]})
        self.assertProblem(r, 422, "validation.changed_by_action")
        r = self.as_("sup", "POST", f"/api/v1/leads/{a['id']}/assign", {"owner_id": self.ids["s2"], "note": "调区域"})
        self.assertEqual((r.status, r.json["owner_id"]), (200, self.ids["s2"]), r)
        self.assertIsNotNone(r.json["silent_until"])
        self.assertIn(a["id"], self.visible_ids("s2"))
        self.assertNotIn(a["id"], self.visible_ids("s1"))

    def test_a_phone_owned_by_another_is_not_revealed_or_touched(self):
        b = self.lead("s2", name="华南的客户", phone="13900000077")
        for path, body in (("/api/v1/leads", {"name": "撞单", "phone": "139 0000 0077"}),
                           ("/api/v1/leads/quick", {"phone": "13900000077", "salutation": "王总"})):
            r = self.as_("s1", "POST", path, body)
            self.assertProblem(r, 409, "lead.duplicate_of_others")
            self.assertNotIn("13900000077", r.raw)
        again = self.as_("s2", "GET", f"/api/v1/leads/{b['id']}").json
        self.assertEqual((again["touch_count"], again["version"]), (b["touch_count"], b["version"]))
        # The supervisor sees it: the repeat becomes a touch as usual.
        r = self.as_("sup", "POST", "/api/v1/leads", {"name": "再次进线", "phone": "13900000077"})
        self.assertEqual((r.status, r.json["id"]), (200, b["id"]), r)

    def test_assignment_stays_inside_the_actors_scope(self):
        a = self.lead("s1")
        b = self.lead("s2")
        self.assertProblem(self.as_("s1", "POST", f"/api/v1/leads/{b['id']}/assign", {"owner_id": self.ids["s1"]}),
                           404, "record.not_found")
        self.assertProblem(self.as_("s1", "POST", f"/api/v1/leads/{a['id']}/assign", {"owner_id": self.ids["s2"]}),
                           403, "access.owner_out_of_scope")
        self.assertProblem(self.as_("strat", "POST", f"/api/v1/leads/{a['id']}/assign", {"owner_id": self.ids["strat"]}),
                           404, "record.not_found")
        r = self.as_("sup", "POST", f"/api/v1/leads/{a['id']}/assign", {"owner_id": self.ids["s2"]})
        self.assertEqual((r.status, r.json["owner_id"]), (200, self.ids["s2"]), r)

    def open_stream(self, who):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=5)
        conn.request("GET", "/api/v1/stream", headers={"Authorization": "Bearer " + self.tok[who]})
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        return conn, resp

    @staticmethod
    def record_ids_until(resp, marker):
        """Record ids of the stream's events up to (and including) the one for `marker`."""
        seen, fields = [], {}
        while True:
            line = resp.fp.readline().decode().rstrip("\r\n")
            if line == "":
                if fields.get("event") == "record":
                    seen.append(json.loads(fields["data"])["id"])
                    if seen[-1] == marker:
                        return seen
                fields = {}
                continue
            key, _, value = line.partition(":")
            fields[key] = value.strip()

    def test_live_stream_carries_only_readable_records(self):
        streams = {who: self.open_stream(who) for who in ("s1", "s2", "sup")}
        try:
            hidden = self.lead("s1", name="只给本人和主管")
            marker = self.lead("s2", name="标记")  # s2's own lead ends each reading
            # s1 cannot see s2's marker: give it a marker of its own afterwards.
            mine = self.lead("s1", name="本人标记")
            self.assertIn(hidden["id"], self.record_ids_until(streams["s1"][1], mine["id"]))
            got = self.record_ids_until(streams["s2"][1], marker["id"])
            self.assertNotIn(hidden["id"], got)
            sup = self.record_ids_until(streams["sup"][1], mine["id"])
            self.assertTrue({hidden["id"], marker["id"]} <= set(sup))
        finally:
            for conn, _ in streams.values():
                conn.close()

    # --- restricting rules (P1) ---------------------------------------------------------------

    def test_strategic_customer_contracts_visible_only_to_allowed(self):
        cust = self.as_("s1", "POST", "/api/v1/customers", {"name": "战略客户甲"}).json
        contract = self.as_("s1", "POST", "/api/v1/contracts", {"name": "框架合同", "customer_id": cust["id"]}).json
        self.assertIn(contract["id"], self.visible_ids("sup", "contracts"))
        rule = self.as_("admin", "POST", "/api/v1/access-rules", {
            "name": "战略客户合同", "entity": "contracts", "match": {"tag": "战略客户", "via": "customer_id"},
            "allow": {"departments": [self.depts["strategy"]], "user_fields": ["owner_id"]}})
        self.assertEqual(rule.status, 201, rule)
        # Tagging the customer is an access change: a salesperson may not do it.
        r = self.as_("s1", "PATCH", f"/api/v1/customers/{cust['id']}", {"tags": ["战略客户"]})
        self.assertProblem(r, 403, "access.protected_tag")
        r = self.as_("admin", "PATCH", f"/api/v1/customers/{cust['id']}", {"tags": ["战略客户"]})
        self.assertEqual(r.status, 200, r)
        self.assertNotIn(contract["id"], self.visible_ids("sup", "contracts"))  # rule hides it
        self.assertIn(contract["id"], self.visible_ids("s1", "contracts"))      # signing salesperson
        self.assertIn(contract["id"], self.visible_ids("admin", "contracts"))
        ex = self.as_("admin", "GET", f"/api/v1/access/explain?user={self.ids['sup']}&entity=contracts&id={contract['id']}")
        self.assertEqual(ex.status, 200, ex)
        self.assertEqual((ex.json["decision"], ex.json["decided_by"]), ("deny", "rule:" + rule.json["id"]))
        # Disabling the rule applies at the next request.
        self.assertEqual(self.as_("admin", "PATCH", f"/api/v1/access-rules/{rule.json['id']}", {"enabled": False}).status, 200)
        self.assertIn(contract["id"], self.visible_ids("sup", "contracts"))

    def test_bad_rules_are_refused(self):
        for body, field in [({"name": "x", "entity": "nope", "match": {"tag": "a"}, "allow": {}}, "entity"),
                            ({"name": "x", "entity": "contracts", "match": {"tag": "a", "via": "name"}, "allow": {}}, "via"),
                            ({"name": "x", "entity": "contracts", "match": {"tag": "a"}, "allow": {"user_fields": ["name"]}}, "user_fields"),
                            ({"name": "x", "entity": "contracts", "match": {"tag": "a"}, "allow": {}, "evil": 1}, "evil")]:
            r = self.as_("admin", "POST", "/api/v1/access-rules", body)
            self.assertEqual(r.status, 422, r)
            self.assertEqual(r.json["field"], field, r)
        self.assertProblem(self.as_("s1", "POST", "/api/v1/access-rules",
                                    {"name": "x", "entity": "contracts", "match": {"tag": "a"}, "allow": {}}),
                           403, "access.forbidden")

    # --- temporary grants (P2) --------------------------------------------------------------------

    def test_grant_expires_by_itself_and_can_be_revoked(self):
        self.server.set_clock("2026-07-01T09:00:00+08:00")
        a = self.lead("s1")
        act = self.as_("s1", "POST", "/api/v1/activities", {"kind": "wechat", "content": "需求沟通", "lead_id": a["id"]}).json
        r = self.as_("s1", "POST", "/api/v1/grants", {"entity": "leads", "record_id": a["id"], "grantee_id": self.ids["s2"],
                                                      "mode": "read", "hours": 72, "relations": ["activities"],
                                                      "reason": "协助报价"})
        self.assertEqual(r.status, 201, r)
        grant = r.json
        self.assertEqual(grant["state"], "active")
        self.assertIn(a["id"], self.visible_ids("s2"))
        self.assertIn(act["id"], self.visible_ids("s2", "activities"))
        # Read-only: the grantee cannot change it.
        self.assertProblem(self.as_("s2", "PATCH", f"/api/v1/leads/{a['id']}", {"name": "x"}), 403, "access.forbidden")
        # expiry − 1 s, at expiry, + 1 s (the clock keeps running from where it is set)
        expires = datetime.datetime.fromisoformat(grant["expires_at"])
        self.assertEqual(expires, datetime.datetime.fromisoformat("2026-07-04T09:00:00+08:00").replace(
            microsecond=expires.microsecond))
        self.server.set_clock((expires - datetime.timedelta(seconds=1)).isoformat())
        self.assertEqual(self.as_("s2", "GET", f"/api/v1/leads/{a['id']}").status, 200)
        self.server.set_clock(expires.isoformat())
        self.assertEqual(self.as_("s2", "GET", f"/api/v1/leads/{a['id']}").status, 404)
        self.server.set_clock((expires + datetime.timedelta(seconds=1)).isoformat())
        self.assertEqual(self.as_("s2", "GET", f"/api/v1/leads/{a['id']}").status, 404)
        self.assertNotIn(act["id"], self.visible_ids("s2", "activities"))
        # A new grant, revoked mid-session: the very next request is refused.
        self.server.set_clock("2026-07-05T09:00:00+08:00")
        g2 = self.as_("s1", "POST", "/api/v1/grants", {"entity": "leads", "record_id": a["id"],
                                                       "grantee_id": self.ids["s2"], "mode": "write", "hours": 1}).json
        self.assertEqual(self.as_("s2", "PATCH", f"/api/v1/leads/{a['id']}", {"title": "协作中"}).status, 200)
        self.assertEqual(self.as_("s1", "POST", f"/api/v1/grants/{g2['id']}/revoke").json["state"], "revoked")
        self.assertEqual(self.as_("s2", "GET", f"/api/v1/leads/{a['id']}").status, 404)
        # One cannot grant what one cannot see.
        b = self.lead("s2")
        r = self.as_("s1", "POST", "/api/v1/grants", {"entity": "leads", "record_id": b["id"], "grantee_id": self.ids["sup"]})
        self.assertProblem(r, 404, "record.not_found")

    # --- sensitive fields (P3, P8) ----------------------------------------------------------------

    def test_masked_phone_on_every_path_until_an_approved_request(self):
        r = self.as_("admin", "PUT", "/api/v1/sensitive-fields/leads/phone", {"sensitive": True})
        self.assertEqual(r.status, 200, r)
        try:
            a = self.lead("s1", name="敏感线索", phone="13812345678")
            self.assertEqual(a["phone"], "138****5678")
            self.assertEqual(a["_masked"], ["phone"])
            got = self.as_("s1", "GET", f"/api/v1/leads/{a['id']}").json
            self.assertEqual((got["phone"], got["_masked"]), ("138****5678", ["phone"]))
            listed = [x for x in self.as_("s1", "GET", "/api/v1/leads?limit=200").json["items"] if x["id"] == a["id"]]
            self.assertEqual(listed[0]["phone"], "138****5678")
            # Filter, sort and search cannot probe the hidden value.
            self.assertProblem(self.as_("s1", "GET", "/api/v1/leads?phone=13812345678"), 403, "access.masked_field")
            self.assertProblem(self.as_("s1", "GET", "/api/v1/leads?sort=phone"), 403, "access.masked_field")
            self.assertEqual(self.as_("s1", "GET", "/api/v1/leads?q=12345678").json["items"], [])
            # The answer to a change is masked too, and so is quick entry's.
            patched = self.as_("s1", "PATCH", f"/api/v1/leads/{a['id']}", {"phone": "13812349999"}).json
            self.assertEqual((patched["phone"], patched["_masked"]), ("138****9999", ["phone"]))
            quick = self.as_("s1", "POST", "/api/v1/leads/quick", {"phone": "13600001234", "salutation": "李总"}).json
            self.assertEqual(quick["lead"]["phone"], "136****1234")
            # History shows old → new masked too.
            hist = self.as_("s1", "GET", f"/api/v1/leads/{a['id']}/history").json["items"]
            shown = [c for h in hist for c in h["changes"] if c["field"] == "phone"]
            self.assertTrue(shown)
            for c in shown:
                for v in (c["old"], c["new"]):
                    self.assertTrue(v is None or "****" in v, c)
            # An intake payload holds the number too: a reader with masked fields does not get it.
            src = self.as_("admin", "POST", "/api/v1/intake-sources", {"name": "敏感表单", "channel": "website"}).json
            came = self.server.request("POST", src["intake_url"], {"name": "表单客户", "mobile": "13812340000"},
                                       headers={"X-Intake-Key": src["key"]}).json
            self.as_("admin", "POST", f"/api/v1/leads/{came['id']}/assign", {"owner_id": self.ids["s1"]})
            created = self.as_("s1", "GET", f"/api/v1/leads/{came['id']}/history").json["items"][0]
            self.assertEqual((created["intake"]["source_name"], created["intake"]["raw"]), ("敏感表单", None))
            self.assertNotIn("13812340000", self.as_("s1", "GET", f"/api/v1/leads/{came['id']}/history").raw)
            # The supervisor can export, masked.
            body = self.server.request_bytes("GET", "/api/v1/exports?entity=leads&format=csv", token=self.tok["sup"]).decode("utf-8-sig")
            self.assertNotIn("13812349999", body)
            self.assertIn("138****9999", body)
            # Ask with a purpose; the direct superior approves; the number shows for the granted hours.
            bad = self.as_("s1", "POST", "/api/v1/access-requests", {"entity": "leads", "record_id": a["id"],
                                                                     "fields": ["phone"], "purpose": "other"})
            self.assertEqual(bad.status, 422, bad)
            req = self.as_("s1", "POST", "/api/v1/access-requests", {"entity": "leads", "record_id": a["id"],
                                                                     "fields": ["phone"], "purpose": "tender", "hours": 2})
            self.assertEqual(req.status, 201, req)
            self.assertEqual(req.json["approver_id"], self.ids["sup"])
            self.assertProblem(self.as_("s1", "POST", f"/api/v1/access-requests/{req.json['id']}/approve", {}), 404, "record.not_found")
            ok = self.as_("sup", "POST", f"/api/v1/access-requests/{req.json['id']}/approve", {"note": "投标需要"})
            self.assertEqual((ok.status, ok.json["status"]), (200, "approved"), ok)
            got = self.as_("s1", "GET", f"/api/v1/leads/{a['id']}").json
            self.assertEqual((got["phone"], got["_masked"]), ("+8613812349999", []))
            # Every unmasked read is logged.
            logged = self.db.scalar("SELECT COUNT(*) FROM unmasked_reads WHERE user_id = '%s'" % self.ids["s1"])
            self.assertGreaterEqual(int(logged), 1)
            ex = self.as_("admin", "GET", f"/api/v1/access/explain?user={self.ids['s1']}&entity=leads&id={a['id']}&field=phone")
            self.assertEqual(ex.json["field"]["unmasked_by"], "access_request:" + req.json["id"])
            # Other leads of the same user stay masked.
            other = self.lead("s1", phone="13700001111")
            self.assertEqual(other["phone"], "137****1111")
        finally:
            self.as_("admin", "PUT", "/api/v1/sensitive-fields/leads/phone", {"sensitive": False})

    # --- policy changes at once (P6), explain, audit (P4) -------------------------------------------

    def test_role_change_applies_to_the_next_request(self):
        a = self.lead("s1")
        self.assertNotIn(a["id"], self.visible_ids("s2"))
        roles = {r["name"]: r for r in self.as_("admin", "GET", "/api/v1/roles").json["items"]}
        access = roles["sales"]["entity_access"]
        widened = dict(access)
        widened["leads"] = dict(access["leads"], scope="department_tree")
        r = self.as_("admin", "PATCH", "/api/v1/roles/sales", {"entity_access": {**widened, "leads": dict(access["leads"], scope="all")},
                                                              "reason": "全员共享线索试点"})
        self.assertEqual(r.status, 200, r)
        try:
            self.assertIn(a["id"], self.visible_ids("s2"))
            ex = self.as_("admin", "GET", f"/api/v1/access/explain?user={self.ids['s2']}&entity=leads&id={a['id']}")
            self.assertEqual((ex.json["decision"], ex.json["decided_by"]), ("allow", "scope:all"), ex)
            # The people whose access changed were told why (P4).
            n = self.db.scalar("SELECT COUNT(*) FROM events WHERE type = 'access.changed' AND entity_id = '%s' "
                               "AND data LIKE '%%全员共享线索试点%%'" % self.ids["s2"])
            self.assertEqual(int(n), 1)
        finally:
            self.assertEqual(self.as_("admin", "PATCH", "/api/v1/roles/sales", {"entity_access": access}).status, 200)
        self.assertNotIn(a["id"], self.visible_ids("s2"))
        ex = self.as_("admin", "GET", f"/api/v1/access/explain?user={self.ids['s2']}&entity=leads&id={a['id']}")
        self.assertEqual((ex.json["decision"], ex.json["decided_by"]), ("deny", "scope"), ex)
        self.assertProblem(self.as_("s1", "GET", f"/api/v1/access/explain?user={self.ids['s2']}&entity=leads&id={a['id']}"),
                           403, "access.forbidden")

    def test_org_changes_apply_at_once_and_are_explained_to_the_user(self):
        a = self.lead("s1")
        # strat (supervisor of 战略部) does not see 销售部's leads; moved into 销售部, at once does.
        self.assertNotIn(a["id"], self.visible_ids("strat"))
        r = self.as_("admin", "PATCH", f"/api/v1/users/{self.ids['strat']}",
                     {"department_id": self.depts["sales"], "reason": "调任销售部"})
        self.assertEqual(r.status, 200, r)
        try:
            self.assertIn(a["id"], self.visible_ids("strat"))
            n = self.db.scalar("SELECT COUNT(*) FROM events WHERE type = 'access.changed' AND entity_id = '%s'"
                               % self.ids["strat"])
            self.assertGreaterEqual(int(n), 1)
        finally:
            self.as_("admin", "PATCH", f"/api/v1/users/{self.ids['strat']}", {"department_id": self.depts["strategy"]})
        self.assertNotIn(a["id"], self.visible_ids("strat"))
        # No reporting cycles; unknown fields refused; a disabled user is signed out at once.
        r = self.as_("admin", "PATCH", f"/api/v1/users/{self.ids['sup']}", {"manager_id": self.ids["s1"]})
        self.assertEqual((r.status, r.json["field"]), (422, "manager_id"), r)
        r = self.as_("admin", "PATCH", f"/api/v1/users/{self.ids['s1']}", {"tenant_id": "x"})
        self.assertProblem(r, 422, "validation.unknown_field")
        self.assertProblem(self.as_("s1", "PATCH", f"/api/v1/users/{self.ids['s1']}", {"role": "admin"}),
                           403, "access.forbidden")

    def test_department_head_approves_requests(self):
        self.assertEqual(self.as_("admin", "PUT", "/api/v1/sensitive-fields/leads/wechat", {"sensitive": True}).status, 200)
        try:
            r = self.as_("admin", "PATCH", f"/api/v1/departments/{self.depts['sales']}", {"head_user_id": self.ids["sup"]})
            self.assertEqual((r.status, r.json["head_user_id"]), (200, self.ids["sup"]), r)
            a = self.lead("s2", wechat="wx_s2_secret")
            self.assertEqual(a["_masked"], ["wechat"])
            req = self.as_("s2", "POST", "/api/v1/access-requests", {"entity": "leads", "record_id": a["id"],
                                                                     "fields": ["wechat"], "purpose": "quality_trace",
                                                                     "approver": "department_head"})
            self.assertEqual((req.status, req.json["approver_id"]), (201, self.ids["sup"]), req)
            r = self.as_("sup", "POST", f"/api/v1/access-requests/{req.json['id']}/reject", {})
            self.assertEqual((r.status, r.json["field"]), (422, "note"), r)
            r = self.as_("sup", "POST", f"/api/v1/access-requests/{req.json['id']}/reject", {"note": "无需微信"})
            self.assertEqual(r.json["status"], "rejected")
            self.assertEqual(self.as_("s2", "GET", f"/api/v1/leads/{a['id']}").json["_masked"], ["wechat"])
            r = self.as_("sup", "POST", f"/api/v1/access-requests/{req.json['id']}/approve", {})
            self.assertProblem(r, 409, "access.request_decided")
        finally:
            self.as_("admin", "PUT", "/api/v1/sensitive-fields/leads/wechat", {"sensitive": False})

    def test_bad_role_definitions_are_refused(self):
        for ea in ({"leads": {"actions": ["fly"]}}, {"leads": {"scope": "galaxy"}}, {"nope": {}},
                   {"leads": {"inherit": ["name"]}}, {"leads": {"actions": ["read"], "extra": 1}}):
            r = self.as_("admin", "POST", "/api/v1/roles", {"name": "bad_role", "label_zh": "坏", "entity_access": ea})
            self.assertEqual(r.status, 422, (ea, r))
        r = self.as_("admin", "POST", "/api/v1/roles", {"name": "viewer", "label_zh": "只读",
                                                         "entity_access": {"*": {"actions": ["read"], "scope": "all"}}})
        self.assertEqual(r.status, 201, r)


class TwoInstancesTest(ApiTestCase):
    """P6: a policy change made through one server applies to the very next request on another
    server of the same database."""

    def test_policy_change_reaches_the_other_instance_at_once(self):
        other = Server(self.db).start()
        try:
            r = self.api("POST", "/api/v1/users", {"email": "x1@a.test", "name": "x1", "password": PASSWORD, "role": "sales"})
            self.assertEqual(r.status, 201, r)
            self.api("POST", "/api/v1/users", {"email": "x2@a.test", "name": "x2", "password": PASSWORD, "role": "sales"})
            x1 = self.server.login("x1@a.test")
            x2_on_b = other.login("x2@a.test")
            lead = self.api("POST", "/api/v1/leads", {"name": "x1的线索"}, token=x1).json
            self.assertEqual(other.request("GET", f"/api/v1/leads/{lead['id']}", token=x2_on_b).status, 404)
            roles = {r["name"]: r for r in self.api("GET", "/api/v1/roles").json["items"]}
            narrow = roles["sales"]["entity_access"]
            wide = dict(narrow, leads=dict(narrow["leads"], scope="all"))
            self.assertEqual(self.api("PATCH", "/api/v1/roles/sales", {"entity_access": wide}).status, 200)
            self.assertEqual(other.request("GET", f"/api/v1/leads/{lead['id']}", token=x2_on_b).status, 200)
            self.assertEqual(self.api("PATCH", "/api/v1/roles/sales", {"entity_access": narrow}).status, 200)
            self.assertEqual(other.request("GET", f"/api/v1/leads/{lead['id']}", token=x2_on_b).status, 404)
            # A grant made on A is usable on B at once, and its revocation too.
            g = self.api("POST", "/api/v1/grants", {"entity": "leads", "record_id": lead["id"],
                                                    "grantee_id": self.api("GET", "/api/v1/users").json["items"][-1]["id"]},
                         token=x1).json
            self.assertEqual(other.request("GET", f"/api/v1/leads/{lead['id']}", token=x2_on_b).status, 200)
            self.api("POST", f"/api/v1/grants/{g['id']}/revoke", token=x1)
            self.assertEqual(other.request("GET", f"/api/v1/leads/{lead['id']}", token=x2_on_b).status, 404)
        finally:
            other.stop()


if __name__ == "__main__":
    unittest.main()
