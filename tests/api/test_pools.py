"""The public pool (公海): release, claim with cooldown / daily quota / holding caps, transfer,
reclaim after N calendar days without follow-up (never-followed-up leads count from assignment)."""
import json
import unittest

from harness import ApiTestCase, PASSWORD


class PoolTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ids = {}
        for name in ("p1", "p2", "p3"):
            r = cls.server.request("POST", "/api/v1/users", {"email": f"{name}@a.test", "name": name,
                                                             "password": PASSWORD, "role": "sales"}, token=cls.token)
            cls.ids[name] = r.json["id"]

    def tearDown(self):
        self.server.reset_clock()

    def at(self, when, who="admin"):
        self.server.set_clock(when)
        return self.server.login(("admin" if who == "admin" else who) + "@a.test")

    def pool(self, name, **rules):
        r = self.api("POST", "/api/v1/pools", {"name": name, "rules": rules})
        self.assertEqual(r.status, 201, r)
        return r.json

    def lead_of(self, who, name, token=None):
        tok = token or self.server.login(who + "@a.test")
        return self.api("POST", "/api/v1/leads", {"name": name}, token=tok).json

    def test_assigning_a_pooled_lead_takes_it_out_of_the_pool(self):
        pool = self.pool("分配测试公海")
        t1 = self.at("2026-06-01T10:00:00+08:00", "p1")
        lead = self.lead_of("p1", "待分配", t1)
        self.api("POST", f"/api/v1/pools/{pool['id']}/release", {"lead_id": lead["id"], "reason": "重新分配"}, token=t1)
        r = self.api("POST", f"/api/v1/leads/{lead['id']}/assign", {"owner_id": self.ids["p2"]})
        self.assertEqual((r.status, r.json["owner_id"], r.json["pool_id"]), (200, self.ids["p2"], None), r)
        r = self.api("POST", f"/api/v1/pools/{pool['id']}/claim", {"lead_id": lead["id"]}, token=self.at("2026-06-01T10:05:00+08:00", "p3"))
        self.assertEqual(r.status, 409, r)

    def test_release_claim_and_cooldown(self):
        pool = self.pool("华东公海", cooldown_days=3)
        t1 = self.at("2026-06-01T10:00:00+08:00", "p1")
        lead = self.lead_of("p1", "放弃的线索", t1)
        r = self.api("POST", f"/api/v1/pools/{pool['id']}/release", {"lead_id": lead["id"], "reason": "联系不上"}, token=t1)
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["owner_id"], r.json["pool_id"], r.json["last_owner_id"]), (None, pool["id"], self.ids["p1"]))
        again = self.api("POST", f"/api/v1/pools/{pool['id']}/claim", {"lead_id": lead["id"]}, token=t1)
        self.assertProblem(again, 409, "pool.cooldown")
        t1 = self.at("2026-06-04T00:00:00+08:00", "p1")  # release day + 3 calendar days
        ok = self.api("POST", f"/api/v1/pools/{pool['id']}/claim", {"lead_id": lead["id"]}, token=t1)
        self.assertEqual(ok.status, 200, ok)
        self.assertEqual(ok.json["owner_id"], self.ids["p1"])
        types = [h["type"] for h in self.api("GET", f"/api/v1/leads/{lead['id']}/history", token=t1).json["items"]]
        self.assertEqual(types[-3:], ["lead.released", "lead.claimed", "lead.assigned"])
        self.assertProblem(self.api("POST", f"/api/v1/pools/{pool['id']}/claim", {"lead_id": lead["id"]}, token=t1), 409, "pool.not_in_pool")

    def test_daily_quota_resets_on_the_next_local_day(self):
        pool = self.pool("限额公海", daily_claim_quota=2)
        admin = self.at("2026-06-10T09:00:00+08:00")
        leads = [self.api("POST", "/api/v1/leads", {"name": f"池{i}"}, token=admin).json for i in range(3)]
        for l in leads:
            self.api("POST", f"/api/v1/pools/{pool['id']}/release", {"lead_id": l["id"]}, token=admin)
        t2 = self.at("2026-06-10T23:30:00+08:00", "p2")
        self.assertEqual(self.api("POST", f"/api/v1/pools/{pool['id']}/claim", {"lead_id": leads[0]["id"]}, token=t2).status, 200)
        self.assertEqual(self.api("POST", f"/api/v1/pools/{pool['id']}/claim", {"lead_id": leads[1]["id"]}, token=t2).status, 200)
        self.assertProblem(self.api("POST", f"/api/v1/pools/{pool['id']}/claim", {"lead_id": leads[2]["id"]}, token=t2), 409, "pool.quota_reached")
        t2 = self.at("2026-06-11T00:00:01+08:00", "p2")  # 00:00 in Shanghai is still the 10th in UTC
        self.assertEqual(self.api("POST", f"/api/v1/pools/{pool['id']}/claim", {"lead_id": leads[2]["id"]}, token=t2).status, 200)

    def test_holding_cap_per_person(self):
        t3 = self.server.login("p3@a.test")
        held = self.api("GET", f"/api/v1/leads?owner_id={self.ids['p3']}&with_total=true", token=t3).json["total"]
        pool = self.pool("封顶公海", hold_cap_person=held + 1)
        leads = [self.api("POST", "/api/v1/leads", {"name": f"封顶{i}"}).json for i in range(2)]
        for l in leads:
            self.api("POST", f"/api/v1/pools/{pool['id']}/release", {"lead_id": l["id"]})
        self.assertEqual(self.api("POST", f"/api/v1/pools/{pool['id']}/claim", {"lead_id": leads[0]["id"]}, token=t3).status, 200)
        self.assertProblem(self.api("POST", f"/api/v1/pools/{pool['id']}/claim", {"lead_id": leads[1]["id"]}, token=t3), 409, "pool.hold_cap")

    def test_reclaim_counts_calendar_days_and_never_followed_up_counts_from_assignment(self):
        pool = self.pool("回收公海", reclaim_days_without_followup=7, warn_days_ahead=2)
        self.api("PATCH", f"/api/v1/pools/{pool['id']}", {"is_default": True})
        t1 = self.at("2026-07-01T18:00:00+08:00", "p1")
        silent = self.lead_of("p1", "从未跟进", t1)
        worked = self.lead_of("p1", "有跟进", t1)
        self.at("2026-07-05T10:00:00+08:00", "p1")
        t1 = self.server.login("p1@a.test")
        self.api("POST", "/api/v1/activities", {"kind": "call", "lead_id": worked["id"]}, token=t1)
        admin = self.at("2026-07-07T09:00:00+08:00")  # 6 local days after July 1st began: warning only
        preview = self.api("GET", f"/api/v1/pools/{pool['id']}/reclaim-preview", token=admin).json
        self.assertEqual([x["id"] for x in preview["due"] if x["id"] in (silent["id"], worked["id"])], [])
        self.assertIn(silent["id"], [x["id"] for x in preview["warning"]])
        admin = self.at("2026-07-09T00:30:00+08:00")  # July 1st is now older than 7 calendar days
        preview = self.api("GET", f"/api/v1/pools/{pool['id']}/reclaim-preview", token=admin).json
        self.assertEqual(preview["followup_cutoff"], "2026-07-02T00:00:00+08:00")
        due = [x["id"] for x in preview["due"]]
        self.assertIn(silent["id"], due)
        self.assertNotIn(worked["id"], due)
        r = self.api("POST", f"/api/v1/pools/{pool['id']}/reclaim", token=admin)
        self.assertGreaterEqual(r.json["reclaimed"], 1)
        back = self.api("GET", f"/api/v1/leads/{silent['id']}", token=admin).json
        self.assertEqual((back["owner_id"], back["pool_id"], back["last_owner_id"]), (None, pool["id"], self.ids["p1"]))
        self.assertIsNone(self.api("GET", f"/api/v1/leads/{worked['id']}", token=admin).json["pool_id"])
        hist = self.api("GET", f"/api/v1/leads/{silent['id']}/history", token=admin).json["items"]
        self.assertEqual(hist[-1]["type"], "lead.reclaimed")

    def test_transfer_and_permissions(self):
        a = self.pool("A池")
        b = self.pool("B池")
        t1 = self.server.login("p1@a.test")
        t2 = self.server.login("p2@a.test")
        lead = self.lead_of("p1", "转池", t1)
        self.assertProblem(self.api("POST", f"/api/v1/pools/{a['id']}/release", {"lead_id": lead["id"]}, token=t2),
                           403, "access.forbidden")
        self.api("POST", f"/api/v1/pools/{a['id']}/release", {"lead_id": lead["id"]}, token=t1)
        self.assertProblem(self.api("POST", f"/api/v1/pools/{a['id']}/transfer", {"lead_id": lead["id"], "to_pool_id": b["id"]}, token=t2),
                           403, "access.forbidden")
        wrong = self.api("POST", f"/api/v1/pools/{b['id']}/transfer", {"lead_id": lead["id"], "to_pool_id": a["id"]})
        self.assertProblem(wrong, 409, "pool.not_in_pool")
        moved = self.api("POST", f"/api/v1/pools/{a['id']}/transfer", {"lead_id": lead["id"], "to_pool_id": b["id"]})
        self.assertEqual(moved.json["pool_id"], b["id"])
        pools = {p["name"]: p for p in self.api("GET", "/api/v1/pools").json["items"]}
        self.assertGreaterEqual(pools["B池"]["lead_count"], 1)
        self.assertProblem(self.api("POST", "/api/v1/pools", {"name": "坏规则", "rules": {"daily_claim_quota": 0}}),
                           422, "validation.out_of_range")
        self.assertProblem(self.api("POST", "/api/v1/pools", {"name": "x", "rules": {"hours": 72}}),
                           422, "validation.unknown_field")
        pooled = self.api("GET", f"/api/v1/leads?pool_id={b['id']}").json["items"]
        self.assertIn(lead["id"], [x["id"] for x in pooled])



class PoolRuleChecksTest(ApiTestCase):
    def test_the_warning_comes_before_the_reclaim_and_a_transfer_goes_somewhere(self):
        r = self.api("POST", "/api/v1/pools", {"name": "警告在后", "rules": {"reclaim_days_without_followup": 3,
                                                                          "warn_days_ahead": 5}})
        self.assertProblem(r, 422, "validation.out_of_range")
        a = self.api("POST", "/api/v1/pools", {"name": "甲公海", "rules": {"reclaim_days_without_followup": 7,
                                                                          "warn_days_ahead": 2}}).json
        self.assertProblem(self.api("PATCH", f"/api/v1/pools/{a['id']}", {"rules": {"reclaim_days_without_followup": 2}}),
                           422, "validation.out_of_range")
        lead = self.api("POST", "/api/v1/leads", {"name": "转移"}).json
        self.api("POST", f"/api/v1/pools/{a['id']}/release", {"lead_id": lead["id"]})
        self.assertProblem(self.api("POST", f"/api/v1/pools/{a['id']}/transfer", {"lead_id": lead["id"], "to_pool_id": a["id"]}),
                           409, "pool.same_pool")


class ManualEntryTest(ApiTestCase):
    """关闭手工录入 per pool: a lead entered by hand belongs to a pool (named, or the default) and is
    refused when that pool takes no manual entry; intake still flows."""

    def count(self, name):
        return self.api("GET", f"/api/v1/leads?name={name}&with_total=true").json["total"]

    def test_a_pool_can_refuse_manual_entry_while_intake_flows(self):
        main = self.api("POST", "/api/v1/pools", {"name": "总公海", "is_default": True}).json
        douyin = self.api("POST", "/api/v1/pools", {"name": "抖音公海", "rules": {"manual_entry": False}})
        self.assertEqual((douyin.status, douyin.json["rules"]), (201, {"manual_entry": False}), douyin)
        douyin = douyin.json
        sales = self.server.request("POST", "/api/v1/users", {"email": "s1@a.test", "name": "销售一",
                                                             "password": PASSWORD, "role": "sales"}, token=self.token)
        self.assertEqual(sales.status, 201, sales)
        tok = self.server.login("s1@a.test")

        r = self.api("POST", "/api/v1/leads", {"name": "手工甲", "home_pool_id": douyin["id"]}, token=tok)
        self.assertProblem(r, 403, "leads.manual_entry_disabled")
        self.assertIn("抖音公海", r.json["detail"])
        self.assertEqual(self.count("手工甲"), 0)
        r = self.api("POST", "/api/v1/leads/quick", {"phone": "13500135001", "salutation": "赵", "home_pool_id": douyin["id"]},
                     token=tok)
        self.assertProblem(r, 403, "leads.manual_entry_disabled")

        named = self.api("POST", "/api/v1/leads", {"name": "手工乙", "home_pool_id": main["id"]}, token=tok)
        self.assertEqual((named.status, named.json["home_pool_id"]), (201, main["id"]), named)
        unnamed = self.api("POST", "/api/v1/leads", {"name": "手工丙"}, token=tok)
        self.assertEqual((unnamed.status, unnamed.json["home_pool_id"]), (201, None), unnamed)
        self.assertEqual(unnamed.json["channel"], "manual")  # every lead has a channel: 手工录入 by default
        quick = self.api("POST", "/api/v1/leads/quick", {"phone": "13500135002", "salutation": "钱",
                                                        "home_pool_id": main["id"]}, token=tok)
        self.assertEqual((quick.status, quick.json["lead"]["home_pool_id"]), (201, main["id"]), quick)
        # Released without naming a pool, the lead goes home.
        rel = self.api("POST", f"/api/v1/pools/{main['id']}/release", {"lead_id": named.json["id"]}, token=tok)
        self.assertEqual((rel.status, rel.json["pool_id"]), (200, main["id"]), rel)

        for bad, code in (("00000000-0000-7000-8000-000000000000", "validation.invalid_value"),
                          ("not-a-pool", "validation.invalid_value"), (42, "validation.wrong_type")):
            r = self.api("POST", "/api/v1/leads", {"name": "手工丁", "home_pool_id": bad}, token=tok)
            self.assertProblem(r, 422, code)
            self.assertEqual(r.json.get("field"), "home_pool_id", r)
        self.assertEqual(self.count("手工丁"), 0)
        # home_pool_id stays read-only after the create; pools move leads (release, transfer).
        self.assertProblem(self.api("PATCH", f"/api/v1/leads/{unnamed.json['id']}", {"home_pool_id": douyin["id"]},
                                    headers={"If-Match": str(unnamed.json["version"])}, token=tok), 422, "validation.read_only")

        # The default pool switched off: a create naming no pool is refused, intake still flows.
        src = self.api("POST", "/api/v1/intake-sources", {"name": "官网表单", "channel": "website"}).json
        self.assertProblem(self.api("PATCH", f"/api/v1/pools/{main['id']}", {"rules": {"manual_entry": "off"}}), 422,
                           "validation.wrong_type")
        self.assertEqual(self.api("PATCH", f"/api/v1/pools/{main['id']}", {"rules": {"manual_entry": False}}).status, 200)
        self.assertProblem(self.api("POST", "/api/v1/leads", {"name": "手工戊"}, token=tok), 403, "leads.manual_entry_disabled")
        r = self.server.request("POST", src["intake_url"], {"name": "表单线索"}, headers={"X-Intake-Key": src["key"]})
        self.assertEqual(r.status, 201, r)
        # Back on (null = the default, allowed).
        self.assertEqual(self.api("PATCH", f"/api/v1/pools/{main['id']}", {"rules": {"manual_entry": None}}).status, 200)
        self.assertEqual(self.api("POST", "/api/v1/leads", {"name": "手工戊"}, token=tok).status, 201)
        # A disabled pool cannot be named.
        self.assertEqual(self.api("PATCH", f"/api/v1/pools/{douyin['id']}", {"enabled": False, "rules": {"manual_entry": True}}).status, 200)
        self.assertProblem(self.api("POST", "/api/v1/leads", {"name": "手工己", "home_pool_id": douyin["id"]}, token=tok),
                           422, "validation.invalid_value")



class PoolDailyPassTest(ApiTestCase):
    """The daily pass (02:00 in the tenant's zone): due leads go back to the pool without anyone
    pressing a button, owners of leads in the warning window are told, and a day runs once."""

    def tearDown(self):
        self.server.reset_clock()

    def test_due_leads_are_reclaimed_at_two_and_owners_warned_once_a_day(self):
        import time
        p1 = self.api("POST", "/api/v1/users", {"email": "d1@a.test", "name": "d1", "password": PASSWORD,
                                                "role": "sales"}).json
        pool = self.api("POST", "/api/v1/pools", {"name": "每日公海", "rules": {"reclaim_days_without_followup": 3,
                                                                              "warn_days_ahead": 1}}).json
        self.assertEqual(self.api("PATCH", f"/api/v1/pools/{pool['id']}", {"is_default": True}).status, 200)
        self.server.set_clock("2026-03-01T10:00:00+08:00")
        tok = self.server.login("d1@a.test")
        old = self.api("POST", "/api/v1/leads", {"name": "三天没跟进"}, token=tok).json
        self.server.set_clock("2026-03-02T10:00:00+08:00")
        soon = self.api("POST", "/api/v1/leads", {"name": "快到期"}, token=tok).json
        self.server.set_clock("2026-03-05T01:50:00+08:00")  # before 02:00: nothing yet
        time.sleep(11)
        self.assertEqual(self.api("GET", f"/api/v1/leads/{old['id']}").json["owner_id"], p1["id"])
        self.server.set_clock("2026-03-05T02:10:00+08:00")
        deadline = time.time() + 25
        while time.time() < deadline and self.api("GET", f"/api/v1/leads/{old['id']}").json["pool_id"] != pool["id"]:
            time.sleep(0.5)
        back = self.api("GET", f"/api/v1/leads/{old['id']}").json
        self.assertEqual((back["owner_id"], back["pool_id"], back["last_owner_id"]), (None, pool["id"], p1["id"]))
        self.assertEqual(self.api("GET", f"/api/v1/leads/{soon['id']}").json["owner_id"], p1["id"])
        self.assertEqual(self.db.scalar("SELECT value FROM tenant_settings WHERE key = 'pools.daily_pass'"), "2026-03-05")
        warned = self.db.sql(f"SELECT data FROM events WHERE type = 'notification.created' AND entity_id = '{p1['id']}'")
        self.assertEqual(len(warned), 1, warned)
        self.assertIn("pool_reclaim_warning", warned[0][0])
        # Someone who was away at 02:00 reads it later.
        mine = self.api("GET", "/api/v1/me/notifications", token=self.server.login("d1@a.test")).json["items"]
        self.assertEqual([n["kind"] for n in mine], ["pool_reclaim_warning"])
        self.assertIn("公海", mine[0]["title"])
        self.assertEqual(self.api("GET", "/api/v1/me/notifications").json["items"], [])  # the admin's own: none
        self.assertProblem(self.api("GET", "/api/v1/me/notifications?limit=0"), 400, "query.bad_limit")
        # Later the same day nothing runs twice.
        self.server.set_clock("2026-03-05T16:00:00+08:00")
        time.sleep(11)
        reclaims = self.db.scalar(f"SELECT COUNT(*) FROM events WHERE type = 'lead.reclaimed' AND entity_id = '{old['id']}'")
        self.assertEqual(reclaims, "1")
        self.assertEqual(len(self.db.sql(f"SELECT data FROM events WHERE type = 'notification.created' AND "
                                         f"entity_id = '{p1['id']}'")), 1)


class UnassignedLeadsWaitInAPoolTest(ApiTestCase):
    """A lead no assignment rule takes waits in its pool to be claimed: the intake source's 目标公海,
    else the default pool — never unowned and outside every pool."""

    def intake(self, src, body):
        r = self.server.request("POST", src["intake_url"], body, headers={"X-Intake-Key": src["key"]})
        self.assertEqual(r.status, 201, r)
        return self.api("GET", f"/api/v1/leads/{r.json['id']}").json

    def test_intake_leads_without_a_rule_wait_in_the_sources_pool(self):
        no_pool_src = self.api("POST", "/api/v1/intake-sources", {"name": "早期表单", "channel": "website"}).json
        early = self.intake(no_pool_src, {"name": "无公海时进线"})
        self.assertEqual((early["owner_id"], early["pool_id"]), (None, None))  # the tenant has no pool yet

        main = self.api("POST", "/api/v1/pools", {"name": "总公海"}).json
        douyin = self.api("POST", "/api/v1/pools", {"name": "抖音公海", "rules": {"manual_entry": False}}).json
        self.assertTrue(main["is_default"])
        r = self.api("POST", "/api/v1/intake-sources", {"name": "抖音表单", "channel": "douyin_form", "pool_id": "nope"})
        self.assertProblem(r, 422, "validation.invalid_value")
        self.assertEqual(r.json["field"], "pool_id")
        src = self.api("POST", "/api/v1/intake-sources", {"name": "抖音表单", "channel": "douyin_form",
                                                          "pool_id": douyin["id"]})
        self.assertEqual((src.status, src.json["pool_id"]), (201, douyin["id"]), src)
        src = src.json

        lead = self.intake(src, {"name": "抖音线索", "mobile": "13700137001"})
        self.assertEqual((lead["owner_id"], lead["pool_id"], lead["home_pool_id"]), (None, douyin["id"], douyin["id"]))
        self.assertIsNotNone(lead["pooled_at"])
        created = self.api("GET", f"/api/v1/leads/{lead['id']}/history").json["items"][0]
        self.assertIn({"field": "pool_id", "old": None, "new": douyin["id"]}, created["changes"])
        data = self.db.scalar(f"SELECT data FROM events WHERE type = 'lead.created' AND entity_id = '{lead['id']}'")
        self.assertEqual(json.loads(data)["pooled"], {"pool_id": douyin["id"], "reason": "no_matching_assignment_rule"})
        other = self.intake(no_pool_src, {"name": "官网线索"})
        self.assertEqual((other["pool_id"], other["home_pool_id"]), (main["id"], None))
        # Hand-entered with "owner_id": null and no rule: the default pool too.
        manual = self.api("POST", "/api/v1/leads", {"name": "待分配", "owner_id": None})
        self.assertEqual((manual.status, manual.json["owner_id"], manual.json["pool_id"]), (201, None, main["id"]), manual)

        self.server.request("POST", "/api/v1/users", {"email": "c1@a.test", "name": "领取人", "password": PASSWORD,
                                                     "role": "sales"}, token=self.token)
        tok = self.server.login("c1@a.test")
        claimed = self.api("POST", f"/api/v1/pools/{douyin['id']}/claim", {"lead_id": lead["id"]}, token=tok)
        self.assertEqual((claimed.status, claimed.json["pool_id"]), (200, None), claimed)

        # A rule that takes the lead wins over the pool.
        me = self.api("GET", "/api/v1/me").json["user"]["id"]
        self.api("POST", "/api/v1/assignment-rules", {"name": "抖音归我", "strategy": "round_robin",
                                                      "conditions": [{"field": "channel", "op": "eq", "value": "douyin_form"}],
                                                      "members": [{"user_id": me}]})
        taken = self.intake(src, {"name": "抖音线索二"})
        self.assertEqual((taken["owner_id"], taken["pool_id"], taken["home_pool_id"]), (me, None, douyin["id"]))

        # The source's pool can be changed and cleared (null = the default pool).
        r = self.api("PATCH", f"/api/v1/intake-sources/{src['id']}", {"pool_id": None})
        self.assertEqual((r.status, r.json["pool_id"]), (200, None), r)
        self.assertProblem(self.api("PATCH", f"/api/v1/intake-sources/{src['id']}", {"pool_id": 7}), 422,
                           "validation.wrong_type")


if __name__ == "__main__":
    unittest.main()
