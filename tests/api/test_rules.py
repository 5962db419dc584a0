"""Automation (issue 4): rules as data checked when saved, the engine consuming the event log
(three-colour funnel template over HTTP, alerts for the supervisor), dry runs that write nothing,
the silent period (L5), alerts scoped to who may see them, the today card, timers and cron, and
kill -9 with events pending: every event processed, no action twice."""
import concurrent.futures
import datetime
import http.client
import json
import threading
import time
import unittest

from harness import ApiTestCase, PASSWORD, Server, new_tenant
import test_live_and_cli

SH = datetime.timezone(datetime.timedelta(hours=8))


def eventually(fn, timeout=15, what="condition"):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}; last={last!r}")


class RulesBase(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        req = lambda m, p, b=None: cls.server.request(m, p, b, token=cls.token)
        root = req("GET", "/api/v1/departments").json["items"][0]["id"]
        sales = req("POST", "/api/v1/departments", {"name": "销售部", "parent_id": root}).json["id"]
        other = req("POST", "/api/v1/departments", {"name": "华南组", "parent_id": root}).json["id"]
        cls.ids = {}

        def user(name, role, dept, manager=None):
            body = {"email": f"{name}@a.test", "name": name, "password": PASSWORD, "role": role, "department_id": dept}
            if manager:
                body["manager_id"] = cls.ids[manager]
            r = req("POST", "/api/v1/users", body)
            assert r.status == 201, r
            cls.ids[name] = r.json["id"]

        user("sup", "supervisor", sales)
        user("s1", "sales", sales, "sup")
        user("s2", "sales", other)
        cls.tok = {n: cls.server.login(f"{n}@a.test") for n in ("sup", "s1", "s2")}
        cls.tok["admin"] = cls.token

    def as_(self, who, method, path, body=None):
        return self.api(method, path, body, token=self.tok[who])

    def rule(self, **body):
        body.setdefault("name", "测试规则")
        r = self.api("POST", "/api/v1/rules", body)
        self.assertEqual(r.status, 201, r)
        return r.json

    def caught_up(self):
        """The rules consumer has processed every event of every tenant."""
        rows = self.db.sql("SELECT t.chain_seq, COALESCE(c.seq, 0) FROM tenants t LEFT JOIN consumer_checkpoints c "
                           "ON c.tenant_id = t.id AND c.consumer = 'rules'")
        return all(int(a) == int(b) for a, b in rows)

    def wait_caught_up(self):
        eventually(self.caught_up, what="the rules engine to catch up")


class RulesTest(RulesBase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.server.request("POST", "/api/v1/rule-templates/three_color_funnel/install", {}, token=cls.token)
        assert r.status == 201, r
        cls.funnel = r.json

    def tearDown(self):
        self.server.reset_clock()

    def test_template_turns_a_douyin_demo_lead_red_and_alerts_the_supervisor(self):
        self.assertEqual(len(self.funnel["items"]), 3)
        self.assertEqual({r["template_id"] for r in self.funnel["items"]}, {"three_color_funnel"})
        lead = self.as_("s1", "POST", "/api/v1/leads", {"name": "抖音客户", "channel": "douyin_form",
                                                         "first_touch": "book_demo"}).json
        got = eventually(lambda: (lambda r: r if r["color"] == "red" else None)(
            self.as_("s1", "GET", f"/api/v1/leads/{lead['id']}").json), what="red")
        self.assertEqual(got["version"], 2)
        alerts = eventually(lambda: [a for a in self.as_("sup", "GET", "/api/v1/alerts?state=open").json["items"]
                                     if a["record_id"] == lead["id"]], what="the supervisor's alert")
        self.assertEqual(len(alerts), 1)
        a = alerts[0]
        self.assertEqual((a["kind"], a["severity"], a["state"], a["supervisor_id"], a["owner_id"], a["entity"]),
                         ("hot_lead", "critical", "open", self.ids["sup"], self.ids["s1"], "leads"))
        # The owner sees it too; a salesperson of another department does not, and cannot ack it.
        self.assertIn(a["id"], [x["id"] for x in self.as_("s1", "GET", "/api/v1/alerts").json["items"]])
        self.assertNotIn(a["id"], [x["id"] for x in self.as_("s2", "GET", "/api/v1/alerts").json["items"]])
        self.assertProblem(self.as_("s2", "POST", f"/api/v1/alerts/{a['id']}/ack"), 404, "alert.not_found")
        # Every firing is recorded with its result; no DingTalk channel is configured in this tenant.
        self.wait_caught_up()
        firings = self.db.sql(f"SELECT action_index, status FROM rule_firings WHERE record_id = '{lead['id']}' "
                              "ORDER BY action_index")
        self.assertEqual(firings, [["0", "done"], ["1", "done"], ["2", "done"], ["3", "not_delivered"]])
        why = self.db.scalar(f"SELECT result FROM rule_firings WHERE record_id = '{lead['id']}' AND action_index = 3")
        self.assertIn("no dingtalk channel configured", why)
        # The in-app notification is an event the supervisor's live stream carries.
        n = self.db.scalar(f"SELECT COUNT(*) FROM events WHERE type = 'notification.created' AND entity_id = '{self.ids['sup']}'")
        self.assertGreaterEqual(int(n), 1)
        # The colour change is in the lead's history, attributed to the rule.
        hist = self.as_("s1", "GET", f"/api/v1/leads/{lead['id']}/history").json["items"]
        self.assertTrue(any(c["field"] == "color" and c["new"] == "red" for h in hist for c in h["changes"]), hist)
        # The record's firings, for its history: whoever may read the lead, nobody else.
        f = self.as_("s1", "GET", f"/api/v1/rule-firings?entity=leads&record_id={lead['id']}")
        self.assertEqual(f.status, 200, f)
        self.assertEqual(sorted((x["action_index"], x["status"], x["rule_name"]) for x in f.json["items"]),
                         [(0, "done", "三色漏斗 · 红"), (1, "done", "三色漏斗 · 红"), (2, "done", "三色漏斗 · 红"),
                          (3, "not_delivered", "三色漏斗 · 红")])
        self.assertProblem(self.as_("s2", "GET", f"/api/v1/rule-firings?entity=leads&record_id={lead['id']}"), 404, "record.not_found")
        # What one rule did, for whoever manages rules.
        red_rule = [r for r in self.funnel["items"] if r["name"] == "三色漏斗 · 红"][0]
        by_rule = self.api("GET", f"/api/v1/rule-firings?rule_id={red_rule['id']}").json["items"]
        self.assertIn((lead["id"], 0, "done"), [(x["record_id"], x["action_index"], x["status"]) for x in by_rule])
        # Paged with a cursor, two at a time: the same firings, each once, in the same order.
        paged, cursor = [], ""
        while True:
            page = self.api("GET", f"/api/v1/rule-firings?rule_id={red_rule['id']}&limit=2{cursor}").json
            self.assertLessEqual(len(page["items"]), 2)
            paged += page["items"]
            if not page["next_cursor"]:
                break
            cursor = f"&cursor={page['next_cursor']}"
        key = lambda x: (x["record_id"], x["event_seq"], x["action_index"])
        self.assertEqual([key(x) for x in paged], [key(x) for x in by_rule])
        self.assertGreater(len(paged), 2)
        self.assertProblem(self.api("GET", f"/api/v1/rule-firings?rule_id={red_rule['id']}&cursor=x.1"), 400,
                           "query.bad_cursor")
        self.assertProblem(self.api("GET", f"/api/v1/rule-firings?rule_id={red_rule['id']}&limit=0"), 400,
                           "query.bad_limit")
        self.assertProblem(self.as_("s1", "GET", f"/api/v1/rule-firings?rule_id={red_rule['id']}"), 403, "access.forbidden")
        # Acknowledge, then resolve; a resolved alert cannot be acknowledged.
        r = self.as_("sup", "POST", f"/api/v1/alerts/{a['id']}/ack")
        self.assertEqual((r.status, r.json["state"], r.json["acknowledged_by"]), (200, "acknowledged", self.ids["sup"]), r)
        self.assertTrue(r.json["acknowledged_at"])
        self.assertNotIn(a["id"], [x["id"] for x in self.as_("sup", "GET", "/api/v1/alerts?state=open").json["items"]])
        r = self.as_("sup", "POST", f"/api/v1/alerts/{a['id']}/resolve")
        self.assertEqual((r.status, r.json["state"]), (200, "resolved"), r)
        self.assertProblem(self.as_("sup", "POST", f"/api/v1/alerts/{a['id']}/ack"), 409, "alert.bad_state")
        self.assertProblem(self.as_("sup", "GET", "/api/v1/alerts?state=closed"), 422, "validation.not_an_option")

    def test_the_supervisors_open_stream_gets_the_alert_live(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=15)
        conn.request("GET", "/api/v1/stream", headers={"Authorization": "Bearer " + self.tok["sup"]})
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        lead = self.as_("s1", "POST", "/api/v1/leads", {"name": "实时预警", "channel": "douyin_form", "first_touch": "book_demo"}).json
        seen = []
        deadline = time.time() + 10
        while time.time() < deadline:
            data = json.loads(test_live_and_cli.LiveStreamTest.next_record_event(resp)["data"])
            seen.append(data["type"])
            if data["type"] == "alert.raised" and data.get("record_id") == lead["id"]:
                self.assertEqual((data["id"], data["severity"]), (self.ids["sup"], "critical"))
                self.assertTrue(data["title"])
                break
        else:
            self.fail(f"no live alert; saw {seen}")
        conn.close()

    def test_other_combinations_turn_yellow_or_green(self):
        y = self.as_("s1", "POST", "/api/v1/leads", {"name": "官网", "channel": "website", "first_touch": "download_whitepaper"}).json
        g = self.as_("s1", "POST", "/api/v1/leads", {"name": "白皮书", "channel": "baidu_ads", "first_touch": "download_whitepaper"}).json
        n = self.as_("s1", "POST", "/api/v1/leads", {"name": "无色", "channel": "zhihu", "first_touch": "other"}).json
        self.wait_caught_up()
        color = lambda l: self.as_("s1", "GET", f"/api/v1/leads/{l['id']}").json["color"]
        self.assertEqual((color(y), color(g), color(n)), ("yellow", "green", None))

    def test_a_rule_with_a_bad_field_is_refused_with_line_and_column(self):
        r = self.api("POST", "/api/v1/rules", {"name": "错字", "trigger": {"event": "lead.created"},
                                                "condition": "lead.channel == \"douyin_form\"\nand lead.chanel == \"x\"",
                                                "actions": [{"type": "set_color", "color": "red"}]})
        self.assertProblem(r, 422, "rules.unknown_field")
        self.assertEqual(r.json["field"], "condition")
        self.assertIn("line 2, column 10", r.json["detail"])
        zh = self.server.request("POST", "/api/v1/rules", {"name": "错字", "trigger": {"event": "lead.created"},
                                                           "condition": "lead.chanel == \"x\"",
                                                           "actions": [{"type": "set_color", "color": "red"}]},
                                 token=self.token, headers={"Accept-Language": "zh-CN"})
        self.assertIn("第 1 行第 6 列", zh.json["detail"])
        for body, code, field in [
            ({"trigger": {"event": "lead.created"}, "condition": "lead.touch_count == \"x\"",
              "actions": [{"type": "set_color", "color": "red"}]}, "rules.type_mismatch", "condition"),
            ({"trigger": {"event": "lead.created"}, "condition": "nope(1)",
              "actions": [{"type": "set_color", "color": "red"}]}, "rules.unknown_function", "condition"),
            ({"trigger": {"event": "lead.created"}, "actions": [{"type": "send_fax"}]}, "rules.unknown_action", "actions[0].type"),
            ({"trigger": {"event": "lead.created"}, "actions": [{"type": "set_color", "color": "red", "x": 1}]},
             "rules.unknown_property", "actions[0].x"),
            ({"trigger": {"cron": "61 9 * * *"}, "actions": [{"type": "set_color", "color": "red"}]}, "rules.bad_cron", "trigger.cron"),
            ({"trigger": {"event": "lead.created"}, "actions": [{"type": "set_color", "color": "red"}], "owner": "x"},
             "rules.unknown_property", "rule.owner"),
        ]:
            body["name"] = "坏规则"
            r = self.api("POST", "/api/v1/rules", body)
            self.assertProblem(r, 422, code)
            self.assertEqual(r.json.get("field"), field, r)
        # Nothing was stored; a salesperson may not manage rules.
        self.assertFalse([x for x in self.api("GET", "/api/v1/rules").json["items"] if x["name"] in ("错字", "坏规则")])
        self.assertProblem(self.as_("s1", "POST", "/api/v1/rules", {"name": "x", "trigger": {"event": "lead.created"},
                                                                    "actions": [{"type": "set_color", "color": "red"}]}),
                           403, "access.forbidden")
        self.assertProblem(self.as_("s1", "GET", "/api/v1/rules"), 403, "access.forbidden")

    def test_dry_run_lists_matches_and_writes_nothing(self):
        a = self.as_("s1", "POST", "/api/v1/leads", {"name": "干跑一", "company": "干跑科技"}).json
        b = self.as_("s1", "POST", "/api/v1/leads", {"name": "干跑二", "company": "干跑科技"}).json
        self.as_("s1", "POST", "/api/v1/leads", {"name": "别家", "company": "别家科技"})
        rule = self.rule(name="干跑", enabled=False, trigger={"event": "lead.updated"},
                         condition='lead.company == "干跑科技"',
                         actions=[{"type": "set_color", "color": "green"}, {"type": "add_tags", "tags": ["干跑"]}])
        self.wait_caught_up()
        before = (self.db.scalar("SELECT COUNT(*) FROM events"), self.db.scalar("SELECT COUNT(*) FROM rule_firings"),
                  self.db.sql(f"SELECT version FROM leads WHERE id IN ('{a['id']}', '{b['id']}') ORDER BY id"))
        r = self.api("POST", f"/api/v1/rules/{rule['id']}/dry-run", {})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["matched"], 2)
        self.assertEqual({i["id"] for i in r.json["items"]}, {a["id"], b["id"]})
        acts = r.json["items"][0]["actions"]
        self.assertEqual([x["would"] for x in acts], ["change color", "change tags"])
        # A draft change is checked and dry-run without saving it.
        r2 = self.api("POST", f"/api/v1/rules/{rule['id']}/dry-run", {"condition": 'lead.company == "别家科技"'})
        self.assertEqual(r2.json["matched"], 1, r2)
        bad = self.api("POST", f"/api/v1/rules/{rule['id']}/dry-run", {"condition": "lead.compny == 1"})
        self.assertProblem(bad, 422, "rules.unknown_field")
        self.wait_caught_up()
        after = (self.db.scalar("SELECT COUNT(*) FROM events"), self.db.scalar("SELECT COUNT(*) FROM rule_firings"),
                 self.db.sql(f"SELECT version FROM leads WHERE id IN ('{a['id']}', '{b['id']}') ORDER BY id"))
        self.assertEqual(before, after)
        self.assertEqual(self.api("GET", f"/api/v1/rules/{rule['id']}").json["condition"], 'lead.company == "干跑科技"')
        self.assertProblem(self.api("POST", "/api/v1/rules/00000000-0000-7000-8000-000000000000/dry-run", {}), 404, "rule.not_found")

    def test_silent_period_holds_the_alert_but_not_the_colour(self):
        self.rule(name="静默", trigger={"event": "lead.created"}, condition='lead.company == "静默公司"',
                  actions=[{"type": "set_color", "color": "green"},
                           {"type": "alert", "kind": "check", "title": "请跟进", "to": "supervisor"},
                           {"type": "notify", "channel": "in_app", "to": "owner"}])
        # A lead owned from the start is inside its silent period (24 h by default).
        lead = self.as_("s1", "POST", "/api/v1/leads", {"name": "静默", "company": "静默公司"}).json
        self.assertTrue(lead["silent_until"])
        eventually(lambda: self.as_("s1", "GET", f"/api/v1/leads/{lead['id']}").json["color"] == "green", what="green")
        self.wait_caught_up()
        self.assertEqual(self.db.sql(f"SELECT action_index, status FROM rule_firings WHERE record_id = '{lead['id']}' ORDER BY action_index"),
                         [["0", "done"], ["1", "suppressed"], ["2", "suppressed"]])
        self.assertEqual(self.db.scalar(f"SELECT COUNT(*) FROM alerts WHERE record_id = '{lead['id']}'"), "0")

    def test_rules_are_listed_changed_and_disabled(self):
        rule = self.rule(name="标签", trigger={"event": "lead.created"}, condition='lead.company == "标签公司"',
                         actions=[{"type": "add_tags", "tags": ["自动"]}])
        self.assertEqual((rule["enabled"], rule["revision"]), (True, 1))
        self.assertIn(rule["id"], [r["id"] for r in self.api("GET", "/api/v1/rules").json["items"]])
        one = self.as_("s1", "POST", "/api/v1/leads", {"name": "一", "company": "标签公司", "tags": ["老"]}).json
        eventually(lambda: self.as_("s1", "GET", f"/api/v1/leads/{one['id']}").json["tags"] == ["老", "自动"], what="tagged")
        r = self.api("PATCH", f"/api/v1/rules/{rule['id']}", {"enabled": False})
        self.assertEqual((r.status, r.json["enabled"], r.json["revision"]), (200, False, 2), r)
        self.assertProblem(self.api("PATCH", f"/api/v1/rules/{rule['id']}", {"condition": "lead.x == 1"}), 422, "rules.unknown_field")
        two = self.as_("s1", "POST", "/api/v1/leads", {"name": "二", "company": "标签公司"}).json
        self.wait_caught_up()
        self.assertEqual(self.as_("s1", "GET", f"/api/v1/leads/{two['id']}").json["tags"], [])
        r = self.api("PATCH", f"/api/v1/rules/{rule['id']}", {"enabled": True, "actions": [{"type": "remove_tags", "tags": ["老"]}],
                                                               "trigger": {"event": "lead.updated"}})
        self.assertEqual(r.status, 200, r)
        self.as_("s1", "PATCH", f"/api/v1/leads/{one['id']}", {"name": "一改"})
        eventually(lambda: self.as_("s1", "GET", f"/api/v1/leads/{one['id']}").json["tags"] == ["自动"], what="untagged")
        self.assertProblem(self.api("PATCH", "/api/v1/rules/00000000-0000-7000-8000-000000000000", {"enabled": False}), 404, "rule.not_found")

    def test_a_new_rule_does_not_act_on_past_events(self):
        old = self.as_("s1", "POST", "/api/v1/leads", {"name": "旧线索", "company": "历史公司"}).json
        self.wait_caught_up()
        # Rewind the consumer as after a restore: history is read again, yet the rule is newer.
        self.db.sql("UPDATE consumer_checkpoints SET seq = 0 WHERE consumer = 'rules'")
        self.rule(name="历史", trigger={"event": "lead.created"}, condition='lead.company == "历史公司"',
                  actions=[{"type": "set_color", "color": "green"}])
        new = self.as_("s1", "POST", "/api/v1/leads", {"name": "新线索", "company": "历史公司"}).json
        eventually(lambda: self.as_("s1", "GET", f"/api/v1/leads/{new['id']}").json["color"] == "green", what="new lead")
        self.wait_caught_up()
        self.assertIsNone(self.as_("s1", "GET", f"/api/v1/leads/{old['id']}").json["color"])

    def test_rules_do_not_loop_on_their_own_changes(self):
        # Two rules that undo each other on every update: each fires on the other's change only up to
        # the depth limit, never forever.
        self.rule(name="乒", trigger={"event": "lead.updated"}, condition='lead.company == "乒乓" and lead.color != "red"',
                  actions=[{"type": "set_color", "color": "red"}])
        self.rule(name="乓", trigger={"event": "lead.updated"}, condition='lead.company == "乒乓" and lead.color == "red"',
                  actions=[{"type": "set_color", "color": "yellow"}])
        lead = self.as_("s1", "POST", "/api/v1/leads", {"name": "乒乓", "company": "乒乓"}).json
        self.as_("s1", "PATCH", f"/api/v1/leads/{lead['id']}", {"name": "乒乓!"})
        self.wait_caught_up()
        time.sleep(1)
        self.wait_caught_up()
        updates = int(self.db.scalar(f"SELECT COUNT(*) FROM events WHERE entity_id = '{lead['id']}' AND type = 'lead.updated'"))
        self.assertLessEqual(updates, 5)
        self.assertGreaterEqual(updates, 2)

    def test_templates_are_listed_and_unknown_ones_are_404(self):
        items = self.api("GET", "/api/v1/rule-templates").json["items"]
        self.assertEqual({t["id"] for t in items}, {"three_color_funnel", "no_reply_3d", "process_alerts", "renewal_health"})
        self.assertProblem(self.api("POST", "/api/v1/rule-templates/nope/install", {}), 404, "rule_template.not_found")

    def test_today_shows_due_tasks_hot_leads_and_my_alerts(self):
        now = datetime.datetime.now(SH)
        iso = lambda d: d.isoformat(timespec="seconds")
        soon = self.as_("s1", "POST", "/api/v1/tasks", {"title": "2 小时内发方案", "due_at": iso(now + datetime.timedelta(hours=2))}).json
        late = self.as_("s1", "POST", "/api/v1/tasks", {"title": "逾期", "due_at": iso(now - datetime.timedelta(hours=3))}).json
        later = self.as_("s1", "POST", "/api/v1/tasks", {"title": "下周", "due_at": iso(now + datetime.timedelta(days=3))}).json
        hot = self.as_("s1", "POST", "/api/v1/leads", {"name": "热线索"}).json
        cold = self.as_("s1", "POST", "/api/v1/leads", {"name": "冷线索"}).json
        for kind in ("call", "wechat"):
            self.assertEqual(self.as_("s1", "POST", "/api/v1/activities", {"kind": kind, "lead_id": hot["id"]}).status, 201)
        self.as_("s1", "POST", "/api/v1/activities", {"kind": "call", "lead_id": cold["id"]})
        old = iso(now - datetime.timedelta(days=5))
        self.as_("s1", "POST", "/api/v1/activities", {"kind": "call", "lead_id": cold["id"], "occurred_at": old})
        r = self.as_("s1", "GET", "/api/v1/me/today")
        self.assertEqual(r.status, 200, r)
        tasks = {t["id"]: t for t in r.json["tasks"]}
        self.assertIn(soon["id"], tasks)
        self.assertIn(late["id"], tasks)
        self.assertNotIn(later["id"], tasks)
        self.assertTrue(tasks[late["id"]]["overdue"])
        self.assertFalse(tasks[soon["id"]]["overdue"])
        hot_ids = {l["id"] for l in r.json["hot_leads"]}
        self.assertIn(hot["id"], hot_ids)
        self.assertNotIn(cold["id"], hot_ids)
        # Not another's card.
        self.assertNotIn(soon["id"], {t["id"] for t in self.as_("s2", "GET", "/api/v1/me/today").json["tasks"]})

    def test_another_tenant_cannot_see_or_ack_alerts(self):
        lead = self.as_("s1", "POST", "/api/v1/leads", {"name": "隔离", "channel": "douyin_form", "first_touch": "book_demo"}).json
        alert = eventually(lambda: [a for a in self.api("GET", "/api/v1/alerts").json["items"] if a["record_id"] == lead["id"]],
                           what="alert")[0]
        new_tenant(self.db, "Tenant B", "admin-rules@b.test")
        b = self.server.login("admin-rules@b.test")
        self.assertEqual(self.server.request("GET", "/api/v1/alerts", token=b).json["items"], [])
        for action in ("ack", "resolve"):
            r = self.server.request("POST", f"/api/v1/alerts/{alert['id']}/{action}", token=b)
            self.assertProblem(r, 404, "alert.not_found")
        self.assertEqual(self.server.request("GET", "/api/v1/rules", token=b).json["items"], [])
        self.assertProblem(self.server.request("PATCH", f"/api/v1/rules/{self.funnel['items'][0]['id']}", {"enabled": False}, token=b),
                           404, "rule.not_found")
        self.assertEqual(self.api("GET", f"/api/v1/alerts?state=open").status, 200)
        self.assertEqual([a["state"] for a in self.api("GET", "/api/v1/alerts").json["items"] if a["id"] == alert["id"]], ["open"])


class TimersTest(RulesBase):
    def tearDown(self):
        self.server.reset_clock()

    def test_after_timer_fires_once_unless_something_happened_first(self):
        timer_rule = self.rule(name="1 小时未跟进", trigger={"after": {"event": "lead.created", "delay": "1h", "unless": "activities_in(3d) > 0"}},
                  condition='lead.company == "定时公司"',
                  actions=[{"type": "alert", "kind": "no_reply", "title": "未跟进", "silent_period": "send"}])
        quiet = self.as_("s1", "POST", "/api/v1/leads", {"name": "没人理", "company": "定时公司"}).json
        busy = self.as_("s1", "POST", "/api/v1/leads", {"name": "已跟进", "company": "定时公司"}).json
        self.as_("s1", "POST", "/api/v1/activities", {"kind": "call", "lead_id": busy["id"]})
        self.wait_caught_up()
        self.assertEqual(self.db.scalar("SELECT COUNT(*) FROM rule_timers WHERE state = 'pending'"), "2")
        dry = {i["id"]: i for i in self.api("POST", f"/api/v1/rules/{timer_rule['id']}/dry-run", {}).json["items"]}
        self.assertEqual((dry[quiet["id"]]["unless_holds"], dry[busy["id"]]["unless_holds"]), (False, True))
        self.assertEqual(dry[busy["id"]]["actions"][0]["would"], "nothing: unless holds now")
        time.sleep(1)
        self.assertEqual(self.db.scalar(f"SELECT COUNT(*) FROM alerts WHERE record_id = '{quiet['id']}'"), "0")
        self.server.set_clock((datetime.datetime.now(SH) + datetime.timedelta(hours=1, minutes=5)).isoformat())
        eventually(lambda: self.db.scalar("SELECT COUNT(*) FROM rule_timers WHERE state = 'pending'") == "0", what="timers fired")
        self.assertEqual(self.db.scalar(f"SELECT COUNT(*) FROM alerts WHERE record_id = '{quiet['id']}'"), "1")
        self.assertEqual(self.db.scalar(f"SELECT COUNT(*) FROM alerts WHERE record_id = '{busy['id']}'"), "0")
        # A restart fires nothing again.
        self.server.stop()
        self.server.start()
        type(self).tok = {n: self.server.login(f"{n}@a.test") for n in ("sup", "s1", "s2")} | {"admin": self.token}
        time.sleep(1.5)
        self.assertEqual(self.db.scalar(f"SELECT COUNT(*) FROM alerts WHERE record_id = '{quiet['id']}'"), "1")

    def test_cron_rule_fires_in_the_tenant_zone_once_per_slot(self):
        now = datetime.datetime.now(SH)
        nine = now.replace(hour=9, minute=0, second=0, microsecond=0) + datetime.timedelta(days=1)
        self.server.set_clock((nine - datetime.timedelta(minutes=30)).isoformat())
        c = self.api("POST", "/api/v1/customers", {"name": "续约客户", "contract_end_date": (nine + datetime.timedelta(days=20)).date().isoformat(),
                                                   "last_login_at": (nine - datetime.timedelta(days=40)).isoformat()}).json
        self.api("POST", "/api/v1/customers", {"name": "健康客户", "contract_end_date": (nine + datetime.timedelta(days=20)).date().isoformat(),
                                               "last_login_at": (nine - datetime.timedelta(days=2)).isoformat()})
        rule = self.rule(name="续约", trigger={"cron": "0 9 * * *", "entity": "customers"},
                         condition="days_until(customer.contract_end_date) <= 60 and days_since(customer.last_login_at) > 30",
                         actions=[{"type": "alert", "kind": "renewal_risk", "title": "续约风险", "severity": "critical"}])
        slot = eventually(lambda: self.db.sql(f"SELECT next_at FROM rule_cron_slots WHERE rule_id = '{rule['id']}'"), what="slot")
        self.assertEqual(int(slot[0][0]), int(nine.timestamp() * 1000))
        time.sleep(1)
        self.assertEqual(self.db.scalar(f"SELECT COUNT(*) FROM alerts WHERE rule_id = '{rule['id']}'"), "0")
        self.server.set_clock((nine + datetime.timedelta(minutes=1)).isoformat())
        eventually(lambda: self.db.scalar(f"SELECT COUNT(*) FROM alerts WHERE rule_id = '{rule['id']}'") == "1", what="cron alert")
        self.assertEqual(self.db.scalar(f"SELECT record_id FROM alerts WHERE rule_id = '{rule['id']}'"), c["id"])
        time.sleep(1.5)
        self.assertEqual(self.db.scalar(f"SELECT COUNT(*) FROM alerts WHERE rule_id = '{rule['id']}'"), "1")
        self.assertEqual(int(self.db.scalar(f"SELECT next_at FROM rule_cron_slots WHERE rule_id = '{rule['id']}'")),
                         int((nine + datetime.timedelta(days=1)).timestamp() * 1000))


class RulesCrashTest(RulesBase):
    def test_kill9_with_events_pending_processes_every_event_and_no_action_twice(self):
        self.rule(name="崩溃", trigger={"event": "lead.created"}, condition='lead.company == "崩溃测试"',
                  actions=[{"type": "add_tags", "tags": ["已处理"]}, {"type": "create_task", "title": "跟进", "due": "1d", "silent_period": "send"},
                           {"type": "alert", "kind": "crash", "title": "崩溃测试", "silent_period": "send"}])
        acked, lock = [], threading.Lock()
        stop = threading.Event()

        def writer(n):
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    r = self.server.request("POST", "/api/v1/leads", {"name": f"c{n}-{i}", "company": "崩溃测试"}, token=self.token)
                except Exception:
                    return
                if r.status == 201:
                    with lock:
                        acked.append(r.json["id"])
        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            futures = [pool.submit(writer, n) for n in range(6)]
            time.sleep(1.0)
            self.server.kill9()
            stop.set()
            for f in futures:
                f.result()
        self.assertGreater(len(acked), 10)
        # Pending events at the kill; and the window between an action and the checkpoint: move the
        # checkpoint back so the restart replays everything already done.
        head = int(self.db.scalar("SELECT chain_seq FROM tenants"))
        cp = int(self.db.scalar("SELECT COALESCE(MAX(seq), 0) FROM consumer_checkpoints WHERE consumer = 'rules'"))
        self.db.sql("UPDATE consumer_checkpoints SET seq = 0 WHERE consumer = 'rules'")
        self.server = Server(self.db).start()
        type(self).server = self.server
        self.token = type(self).token = self.server.login("admin@a.test")
        self.wait_caught_up()
        leads = {r[0] for r in self.db.sql("SELECT id FROM leads WHERE company = '崩溃测试'")}
        self.assertTrue(set(acked) <= leads)
        crash = "SELECT id FROM leads WHERE company = '崩溃测试'"
        for table, col in (("tasks", "lead_id"), ("alerts", "record_id")):
            per_lead = dict(self.db.sql(f"SELECT {col}, COUNT(*) FROM {table} WHERE {col} IN ({crash}) GROUP BY {col}"))
            self.assertEqual(set(per_lead), leads, table)
            self.assertEqual(set(per_lead.values()), {"1"}, f"an action ran twice: {table}")
        for lead_id in sorted(leads)[:30]:
            self.assertEqual(self.api("GET", f"/api/v1/leads/{lead_id}").json["tags"], ["已处理"])
        self.assertEqual(int(self.db.scalar("SELECT COUNT(*) FROM rule_firings")), 3 * len(leads))
        self.assertEqual(self.db.scalar("SELECT COUNT(*) FROM rule_firings WHERE status <> 'done'"), "0")
        print(f"\n  crash: {len(acked)} acknowledged leads, checkpoint {cp} of {head} at the kill")


if __name__ == "__main__":
    unittest.main()
