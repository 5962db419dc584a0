"""Lead assignment rules (round robin, weighted, least loaded; away and caps skipped), the silent
period, manual reassignment."""
import unittest

from harness import ApiTestCase, PASSWORD


class AssignmentTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {}
        for name in ("s1", "s2", "s3"):
            r = cls.server.request("POST", "/api/v1/users", {"email": f"{name}@a.test", "name": name,
                                                             "password": PASSWORD, "role": "sales"}, token=cls.token)
            cls.users[name] = r.json["id"]
        cls.source = cls.server.request("POST", "/api/v1/intake-sources",
                                        {"name": "抖音", "channel": "douyin_form"}, token=cls.token).json

    def intake(self, i, **extra):
        body = {"name": f"进线{i}", "region": "华东"}
        body.update(extra)
        r = self.server.request("POST", self.source["intake_url"], body, headers={"X-Intake-Key": self.source["key"]})
        self.assertIn(r.status, (200, 201), r)
        return self.api("GET", f"/api/v1/leads/{r.json['id']}").json

    def rule(self, **body):
        r = self.api("POST", "/api/v1/assignment-rules", body)
        self.assertEqual(r.status, 201, r)
        return r.json

    def disable(self, rule):
        self.api("PATCH", f"/api/v1/assignment-rules/{rule['id']}", {"enabled": False})

    def owner_name(self, lead):
        return {v: k for k, v in self.users.items()}.get(lead["owner_id"])

    def test_round_robin_by_channel_and_region_with_silent_period(self):
        rule = self.rule(name="华东抖音轮流", strategy="round_robin",
                         conditions=[{"field": "channel", "op": "in", "value": ["douyin_form", "xiaohongshu_dm"]},
                                     {"field": "region", "op": "eq", "value": "华东"}],
                         members=[{"user_id": self.users[n]} for n in ("s1", "s2", "s3")])
        try:
            owners = [self.owner_name(self.intake(i)) for i in range(6)]
            self.assertEqual(owners, ["s1", "s2", "s3", "s1", "s2", "s3"])
            lead = self.intake(99)
            hist = self.api("GET", f"/api/v1/leads/{lead['id']}/history").json["items"]
            assigned = [h for h in hist if h["type"] == "lead.assigned"][0]
            self.assertEqual(assigned["reason"]["rule_id"], rule["id"])
            self.assertEqual(assigned["reason"]["strategy"], "round_robin")
            self.assertIsNotNone(lead["assigned_at"])
            # 24 h silent period by default
            from datetime import datetime
            a = datetime.fromisoformat(lead["assigned_at"])
            s = datetime.fromisoformat(lead["silent_until"])
            self.assertEqual((s - a).total_seconds(), 24 * 3600)
            other = self.intake(100, region="华南")
            self.assertIsNone(other["owner_id"])  # no rule matches: unassigned, not the source's creator
        finally:
            self.disable(rule)

    def test_away_members_are_skipped(self):
        rule = self.rule(name="轮流", strategy="round_robin", conditions=[],
                         members=[{"user_id": self.users[n]} for n in ("s1", "s2")])
        s2 = self.server.login("s2@a.test")
        try:
            self.assertEqual(self.api("PUT", "/api/v1/me/availability", {"availability": "away"}, token=s2).status, 200)
            self.assertEqual(self.api("GET", "/api/v1/me", token=s2).json["user"]["availability"], "away")
            owners = {self.owner_name(self.intake(i)) for i in range(4)}
            self.assertEqual(owners, {"s1"})
        finally:
            self.api("PUT", "/api/v1/me/availability", {"availability": "available"}, token=s2)
            self.disable(rule)

    def test_weighted_spreads_in_proportion(self):
        rule = self.rule(name="按权重", strategy="weighted", conditions=[],
                         members=[{"user_id": self.users["s1"], "weight": 3}, {"user_id": self.users["s2"], "weight": 1}])
        try:
            owners = [self.owner_name(self.intake(i)) for i in range(8)]
            self.assertEqual(owners.count("s1"), 6)
            self.assertEqual(owners.count("s2"), 2)
        finally:
            self.disable(rule)

    def test_least_loaded_with_cap_then_next_rule(self):
        s3 = self.server.login("s3@a.test")
        base = self.api("GET", f"/api/v1/leads?owner_id={self.users['s3']}&with_total=true").json["total"]
        capped = self.rule(name="封顶", strategy="least_loaded", conditions=[], cap=base + 2, position=0,
                           members=[{"user_id": self.users["s3"]}])
        fallback = self.rule(name="兜底", strategy="round_robin", conditions=[], position=5,
                             members=[{"user_id": self.users["s1"]}])
        try:
            owners = [self.owner_name(self.intake(i)) for i in range(4)]
            self.assertEqual(owners, ["s3", "s3", "s1", "s1"])
        finally:
            self.disable(capped)
            self.disable(fallback)
        del s3

    def test_api_leads_keep_their_creator_unless_owner_is_null(self):
        rule = self.rule(name="全部", strategy="round_robin", conditions=[], members=[{"user_id": self.users["s2"]}])
        try:
            mine = self.api("POST", "/api/v1/leads", {"name": "自己录入"}).json
            self.assertEqual(mine["owner_id"], self.api("GET", "/api/v1/me").json["user"]["id"])
            self.assertIsNotNone(mine["silent_until"])
            pooled = self.api("POST", "/api/v1/leads", {"name": "交给规则", "owner_id": None})
            self.assertEqual(pooled.status, 201, pooled)
            self.assertEqual(pooled.json["owner_id"], self.users["s2"])
        finally:
            self.disable(rule)

    def test_manual_reassign_is_an_event_with_its_reason(self):
        lead = self.api("POST", "/api/v1/leads", {"name": "转交"}).json
        r = self.api("POST", f"/api/v1/leads/{lead['id']}/assign", {"owner_id": self.users["s3"], "note": "华东客户"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["owner_id"], self.users["s3"])
        hist = self.api("GET", f"/api/v1/leads/{lead['id']}/history").json["items"]
        self.assertEqual(hist[-1]["type"], "lead.assigned")
        self.assertEqual(hist[-1]["reason"]["kind"], "manual")
        owner_change = [c for c in hist[-1]["changes"] if c["field"] == "owner_id"][0]
        self.assertEqual(owner_change["new"], self.users["s3"])
        bad = self.api("POST", f"/api/v1/leads/{lead['id']}/assign", {"owner_id": "01900000-0000-7000-8000-000000000000"})
        self.assertProblem(bad, 422, "validation.unknown_user")

    def test_rules_are_validated_and_admin_only(self):
        self.assertProblem(self.api("POST", "/api/v1/assignment-rules", {"name": "x", "strategy": "random",
                                                                         "members": [{"user_id": self.users["s1"]}]}),
                           422, "validation.invalid_value")
        self.assertProblem(self.api("POST", "/api/v1/assignment-rules", {"name": "x", "members": [{"user_id": self.users["s1"]}],
                                                                         "conditions": [{"field": "nosuch", "op": "eq", "value": 1}]}),
                           422, "validation.invalid_value")
        self.assertProblem(self.api("POST", "/api/v1/assignment-rules", {"name": "x", "members": [{"user_id": self.users["s1"]}],
                                                                         "conditions": [{"field": "channel", "op": "eq", "value": "tiktok"}]}),
                           422, "validation.not_an_option")
        sales = self.server.login("s1@a.test")
        self.assertProblem(self.api("POST", "/api/v1/assignment-rules", {"name": "x", "members": []}, token=sales),
                           403, "access.forbidden")


if __name__ == "__main__":
    unittest.main()
