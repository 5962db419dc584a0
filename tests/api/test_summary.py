"""Summaries for the D1 dashboard (GET /api/v1/{entity}/summary): counts by a field and averages
under the list filters and the caller's access — a salesperson's numbers cover only their leads."""
from harness import ApiTestCase, PASSWORD


class SummaryTest(ApiTestCase):
    def test_counts_and_averages_follow_filters_and_access(self):
        me = self.api("GET", "/api/v1/me").json
        s1 = self.api("POST", "/api/v1/users", {"email": "s1@a.test", "name": "小王", "password": PASSWORD,
                                                "role": "sales", "manager_id": me.get("user", me)["id"]}).json
        tok = self.server.login("s1@a.test")
        self.assertEqual(self.api("POST", "/api/v1/schema/leads/fields",
                                  {"name": "esg_score", "label_zh": "ESG评分", "label_en": "ESG", "type": "number"}).status, 201)
        rows = [("douyin_form", "red", 80, s1["id"]), ("douyin_form", "red", 60, None), ("website", "yellow", 40, s1["id"]),
                ("baidu_ads", None, None, None)]
        for i, (channel, color, esg, owner) in enumerate(rows):
            body = {"name": f"线索{i}", "channel": channel, "esg_score": esg}
            if color:
                body["color"] = color
            if owner:
                body["owner_id"] = owner
            self.assertEqual(self.api("POST", "/api/v1/leads", body).status, 201)
        r = self.api("GET", "/api/v1/leads/summary?group_by=channel&avg=esg_score")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["total"], 4)
        self.assertAlmostEqual(r.json["avg"], 60.0)
        self.assertEqual([(g["value"], g["label"], g["count"]) for g in r.json["groups"]],
                         [("douyin_form", "抖音表单", 2), ("baidu_ads", "百度推广", 1), ("website", "官网咨询", 1)])
        self.assertAlmostEqual(r.json["groups"][0]["avg"], 70.0)
        red = self.api("GET", "/api/v1/leads/summary?color=red").json
        self.assertEqual((red["total"], "groups" in red), (2, False))
        by_owner = self.api("GET", "/api/v1/leads/summary?group_by=owner_id").json["groups"]
        self.assertIn({"value": s1["id"], "label": "小王", "label_en": "小王", "count": 2, "avg": None}, by_owner)
        # The salesperson's summary covers only what they may read.
        mine = self.api("GET", "/api/v1/leads/summary?group_by=color", token=tok).json
        self.assertEqual(mine["total"], 2)
        self.assertEqual(sorted((g["value"], g["count"]) for g in mine["groups"]), [("red", 1), ("yellow", 1)])
        # Bad requests change nothing and say why.
        self.assertProblem(self.api("GET", "/api/v1/leads/summary?group_by=nope"), 422, "summary.bad_field")
        self.assertProblem(self.api("GET", "/api/v1/leads/summary?avg=channel"), 422, "summary.bad_field")
        self.assertProblem(self.api("GET", "/api/v1/leads/summary?group_by=tags"), 422, "summary.bad_field")
        self.assertEqual(self.api("PUT", "/api/v1/sensitive-fields/leads/wechat", {"sensitive": True}).status, 200)
        self.assertProblem(self.api("GET", "/api/v1/leads/summary?group_by=wechat", token=tok), 403, "access.masked_field")
