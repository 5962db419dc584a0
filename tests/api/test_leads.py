"""Lead pipeline: dedup by normalised phone within the window (race-free), intake sources with
keys and attribution, quick entry, response time from the first follow-up, duplicate check."""
import concurrent.futures
import unittest

from harness import ApiTestCase, PASSWORD


class LeadDedupTest(ApiTestCase):
    def test_same_phone_within_window_is_one_lead_with_a_touch(self):
        a = self.api("POST", "/api/v1/leads", {"name": "张总", "phone": "138 0013 8001", "channel": "douyin_form"})
        self.assertEqual(a.status, 201, a)
        self.assertEqual(a.json["phone"], "+8613800138001")
        b = self.api("POST", "/api/v1/leads", {"name": "张先生", "phone": "+86 138-0013-8001", "channel": "baidu_ads"})
        self.assertEqual(b.status, 200, b)
        self.assertEqual(b.headers.get("Deduplicated"), "true")
        self.assertEqual(b.json["id"], a.json["id"])
        self.assertEqual(b.json["touch_count"], 2)
        self.assertEqual(b.json["name"], "张总")  # the repeat does not overwrite the lead
        hist = self.api("GET", f"/api/v1/leads/{a.json['id']}/history").json["items"]
        self.assertEqual([h["type"] for h in hist], ["lead.created", "lead.touched"])
        n = self.api("GET", "/api/v1/leads?phone=13800138001&with_total=true").json["total"]
        self.assertEqual(n, 1)

    def test_after_the_window_the_same_phone_is_a_new_lead(self):
        self.server.set_clock("2026-03-01T10:00:00+08:00")
        try:
            token = self.server.login("admin@a.test")
            a = self.api("POST", "/api/v1/leads", {"name": "甲", "phone": "13800138002"}, token=token)
            self.server.set_clock("2026-03-02T09:59:00+08:00")  # 23 h 59 min later
            b = self.api("POST", "/api/v1/leads", {"name": "甲", "phone": "13800138002"}, token=token)
            self.assertEqual(b.json["id"], a.json["id"])
            self.server.set_clock("2026-03-02T10:00:01+08:00")  # 24 h and 1 s after the lead was created
            c = self.api("POST", "/api/v1/leads", {"name": "甲", "phone": "13800138002"}, token=token)
            self.assertEqual(c.status, 201, c)
            self.assertNotEqual(c.json["id"], a.json["id"])
        finally:
            self.server.reset_clock()

    def test_the_window_is_a_setting(self):
        self.assertEqual(self.api("GET", "/api/v1/settings/leads").json,
                         {"dedup_window_hours": 24, "silent_period_hours": 24})
        self.assertProblem(self.api("PATCH", "/api/v1/settings/leads", {"manual_entry_enabled": False}), 422,
                           "validation.unknown_field")  # a pool rule now (test_pools.ManualEntryTest)
        r = self.api("PATCH", "/api/v1/settings/leads", {"dedup_window_hours": 0})
        self.assertProblem(r, 422, "validation.out_of_range")
        self.assertEqual(self.api("PATCH", "/api/v1/settings/leads", {"dedup_window_hours": 48}).json["dedup_window_hours"], 48)
        self.assertEqual(self.api("GET", "/api/v1/settings/leads").json["dedup_window_hours"], 48)
        self.api("PATCH", "/api/v1/settings/leads", {"dedup_window_hours": 24})

    def test_concurrent_intake_of_one_phone_creates_exactly_one_lead(self):
        def create(i):
            return self.api("POST", "/api/v1/leads", {"name": f"并发{i}", "phone": "13800138003"})
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            results = list(pool.map(create, range(32)))
        self.assertEqual(sorted(r.status for r in results).count(201), 1)
        self.assertEqual(len({r.json["id"] for r in results}), 1)
        lead = self.api("GET", f"/api/v1/leads/{results[0].json['id']}").json
        self.assertEqual(lead["touch_count"], 32)

    def test_idempotent_retry_of_a_deduplicated_create_replays_it(self):
        self.api("POST", "/api/v1/leads", {"name": "乙", "phone": "13800138004"})
        key = {"Idempotency-Key": "dup-retry-1"}
        a = self.api("POST", "/api/v1/leads", {"name": "乙", "phone": "13800138004"}, headers=key)
        b = self.api("POST", "/api/v1/leads", {"name": "乙", "phone": "13800138004"}, headers=key)
        self.assertEqual((a.status, b.status), (200, 200))
        self.assertEqual(b.headers.get("Idempotent-Replayed"), "true")
        self.assertEqual(self.api("GET", f"/api/v1/leads/{a.json['id']}").json["touch_count"], 2)


class SettingsTest(ApiTestCase):
    def test_an_intake_source_can_be_disabled_and_shows_its_name_to_the_public_form(self):
        src = self.api("POST", "/api/v1/intake-sources", {"name": "展会扫码", "channel": "trade_show"}).json
        form = self.server.request("GET", f"{src['intake_url']}?key={src['key']}")
        self.assertEqual((form.status, form.json["name"], form.json["channel_label_zh"]), (200, "展会扫码", "线下展会"), form)
        self.assertEqual(set(form.json), {"name", "channel", "channel_label_zh", "channel_label_en"})
        self.assertProblem(self.server.request("GET", f"{src['intake_url']}?key=wrong"), 401, "intake.bad_key")
        r = self.api("PATCH", f"/api/v1/intake-sources/{src['id']}", {"enabled": False, "name": "展会扫码(已结束)"})
        self.assertEqual((r.status, r.json["enabled"], r.json["name"]), (200, False, "展会扫码(已结束)"), r)
        r = self.server.request("POST", src["intake_url"], {"name": "会后线索"}, headers={"X-Intake-Key": src["key"]})
        self.assertProblem(r, 403, "intake.disabled")
        self.assertProblem(self.api("PATCH", f"/api/v1/intake-sources/{src['id']}", {"key_hash": "x"}), 422,
                           "validation.unknown_field")
        self.api("PATCH", f"/api/v1/intake-sources/{src['id']}", {"enabled": True})
        r = self.server.request("POST", src["intake_url"], {"name": "会后线索"}, headers={"X-Intake-Key": src["key"]})
        self.assertEqual(r.status, 201, r)

    def test_admins_extend_enum_options_such_as_a_custom_channel(self):
        r = self.api("POST", "/api/v1/schema/leads/fields/channel/options",
                     {"value": "bilibili", "label_zh": "B站", "label_en": "Bilibili"})
        self.assertEqual(r.status, 201, r)
        self.assertIn("bilibili", [o["value"] for o in r.json["options"]])
        lead = self.api("POST", "/api/v1/leads", {"name": "B站线索", "channel": "bilibili"})
        self.assertEqual(lead.status, 201, lead)
        self.assertEqual(self.api("GET", "/api/v1/leads?channel=bilibili&with_total=true").json["total"], 1)
        src = self.api("POST", "/api/v1/intake-sources", {"name": "B站", "channel": "bilibili"})
        self.assertEqual(src.status, 201, src)
        self.assertProblem(self.api("POST", "/api/v1/schema/leads/fields/channel/options", {"value": "bilibili", "label_zh": "x"}),
                           409, "schema.option_exists")
        self.assertProblem(self.api("POST", "/api/v1/schema/leads/fields/name/options", {"value": "x", "label_zh": "x"}),
                           422, "schema.not_an_enum")
        self.assertProblem(self.api("POST", "/api/v1/schema/leads/fields/first_touch/options", {"value": "Bad Value", "label_zh": "x"}),
                           422, "validation.invalid_value")


class IntakeTest(ApiTestCase):
    def test_intake_source_stamps_channel_and_keeps_attribution(self):
        src = self.api("POST", "/api/v1/intake-sources", {"name": "抖音表单-春季活动", "channel": "douyin_form",
                                                           "first_touch": "book_demo"})
        self.assertEqual(src.status, 201, src)
        key = src.json["key"]
        url = src.json["intake_url"]
        payload = {"name": "王女士", "mobile": "13900139001", "keyword": "CRM 系统", "promotion_id": 7000123,
                   "ad_id": "ad-9", "utm_source": "douyin", "form_extra": {"预算": "50万"}}
        r = self.server.request("POST", url, payload, headers={"X-Intake-Key": key})
        self.assertEqual(r.status, 201, r)
        self.assertFalse(r.json["deduplicated"])
        lead = self.api("GET", f"/api/v1/leads/{r.json['id']}").json
        self.assertEqual(lead["channel"], "douyin_form")
        self.assertEqual(lead["first_touch"], "book_demo")
        self.assertEqual(lead["phone"], "+8613900139001")
        self.assertEqual(lead["ad_keyword"], "CRM 系统")
        self.assertEqual(lead["ad_promotion_id"], "7000123")
        self.assertEqual(lead["intake_source_id"], src.json["id"])
        again = self.server.request("POST", url + "?key=" + key, {"mobile": "139 0013 9001", "channel": "zhihu"})
        self.assertEqual(again.status, 200, again)
        self.assertEqual(again.json, {"id": r.json["id"], "deduplicated": True})
        # The raw payload and what a repeat came through are kept and shown in the history.
        created, touched = self.api("GET", f"/api/v1/leads/{r.json['id']}/history").json["items"][:2]
        self.assertEqual(created["intake"], {"source_id": src.json["id"], "source_name": "抖音表单-春季活动",
                                             "raw": payload})
        self.assertEqual((touched["type"], touched["channel"], touched["intake"]["raw"]),
                         ("lead.touched", "douyin_form", {"mobile": "139 0013 9001", "channel": "zhihu"}))
        # An HTML form on the customer's site: form-encoded, with a CORS preflight.
        pre = self.server.request("OPTIONS", url, headers={"Origin": "https://shop.example.cn",
                                                           "Access-Control-Request-Method": "POST"})
        self.assertEqual(pre.status, 204)
        self.assertEqual(pre.headers["Access-Control-Allow-Origin"], "*")
        form = self.server.request("POST", url + "?key=" + key, raw="name=%E8%B5%B5%E5%A5%B3%E5%A3%AB&mobile=13900139002".encode(),
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(form.status, 201, form)
        self.assertEqual(form.headers["Access-Control-Allow-Origin"], "*")
        self.assertEqual(self.api("GET", f"/api/v1/leads/{form.json['id']}").json["name"], "赵女士")
        listed = [x for x in self.api("GET", "/api/v1/intake-sources").json["items"] if x["id"] == src.json["id"]]
        self.assertNotIn("key", listed[0])
        self.assertEqual(listed[0]["key_hint"], key[-4:])

    def test_an_unknown_option_from_an_ad_platform_never_loses_the_lead(self):
        src = self.api("POST", "/api/v1/intake-sources", {"name": "信息流", "channel": "douyin_form"}).json
        r = self.server.request("POST", src["intake_url"], {"name": "选项", "first_touch": "抢红包"},
                                headers={"X-Intake-Key": src["key"]})
        self.assertEqual(r.status, 201, r)
        lead = self.api("GET", f"/api/v1/leads/{r.json['id']}").json
        self.assertIsNone(lead["first_touch"])
        created = self.api("GET", f"/api/v1/leads/{r.json['id']}/history").json["items"][0]
        self.assertEqual(created["intake"]["raw"]["first_touch"], "抢红包")
        # A label is understood.
        r = self.server.request("POST", src["intake_url"], {"name": "标签", "first_touch": "预约演示"},
                                headers={"X-Intake-Key": src["key"]})
        self.assertEqual(self.api("GET", f"/api/v1/leads/{r.json['id']}").json["first_touch"], "book_demo")

    def test_wrong_or_rotated_key_is_refused_and_creates_nothing(self):
        src = self.api("POST", "/api/v1/intake-sources", {"name": "官网", "channel": "website"}).json
        before = self.api("GET", "/api/v1/leads?with_total=true").json["total"]
        r = self.server.request("POST", src["intake_url"], {"name": "x"}, headers={"X-Intake-Key": "wrong"})
        self.assertProblem(r, 401, "intake.bad_key")
        rotated = self.api("POST", f"/api/v1/intake-sources/{src['id']}/rotate-key").json
        r = self.server.request("POST", src["intake_url"], {"name": "x"}, headers={"X-Intake-Key": src["key"]})
        self.assertProblem(r, 401, "intake.bad_key")
        r = self.server.request("POST", src["intake_url"], {"name": "y"}, headers={"X-Intake-Key": rotated["key"]})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.api("GET", "/api/v1/leads?with_total=true").json["total"], before + 1)

    def test_only_admins_manage_sources_and_channels_are_checked(self):
        self.api("POST", "/api/v1/users", {"email": "s@a.test", "name": "销售", "password": PASSWORD, "role": "sales"})
        sales = self.server.login("s@a.test")
        self.assertProblem(self.api("POST", "/api/v1/intake-sources", {"name": "x", "channel": "zhihu"}, token=sales),
                           403, "access.forbidden")
        self.assertProblem(self.api("POST", "/api/v1/intake-sources", {"name": "x", "channel": "tiktok"}),
                           422, "validation.not_an_option")


class QuickEntryAndResponseTest(ApiTestCase):
    def test_quick_entry_creates_lead_note_and_task_in_one_call(self):
        r = self.api("POST", "/api/v1/leads/quick", {"phone": "13700137001", "salutation": "李总",
                                                     "core_need": "需要等保三级证明", "next_action": "发送方案",
                                                     "next_action_at": "2026-11-26T10:00:00+08:00"})
        self.assertEqual(r.status, 201, r)
        lead = r.json["lead"]
        self.assertEqual((lead["name"], lead["salutation"], lead["core_need"]), ("李总", "李总", "需要等保三级证明"))
        self.assertEqual(lead["channel"], "manual")
        self.assertIsNotNone(lead["response_hours"])  # the note is the first follow-up
        task = self.api("GET", f"/api/v1/tasks/{r.json['task_id']}").json
        self.assertEqual((task["title"], task["lead_id"], task["due_at"]), ("发送方案", lead["id"], "2026-11-26T10:00:00+08:00"))
        acts = self.api("GET", f"/api/v1/activities?lead_id={lead['id']}").json["items"]
        self.assertEqual([a["content"] for a in acts], ["需要等保三级证明"])

    def test_quick_entry_refuses_bad_input_and_changes_nothing(self):
        before = self.api("GET", "/api/v1/leads?with_total=true").json["total"]
        r = self.api("POST", "/api/v1/leads/quick", {"salutation": "无联系方式"})
        self.assertProblem(r, 422, "validation.required")
        r = self.api("POST", "/api/v1/leads/quick", {"phone": "13700137002", "salutation": "王",
                                                     "next_action": "回电", "next_action_at": "2026-11-26 10:00"})
        self.assertProblem(r, 422, "validation.bad_timestamp")
        self.assertEqual(r.json["field"], "next_action_at")
        self.assertEqual(self.api("GET", "/api/v1/leads?with_total=true").json["total"], before)

    def test_response_hours_come_from_the_first_follow_up(self):
        self.server.set_clock("2026-05-01T09:00:00+08:00")
        try:
            token = self.server.login("admin@a.test")
            lead = self.api("POST", "/api/v1/leads", {"name": "响应", "phone": "13700137003"}, token=token).json
            self.assertTrue(lead["response_pending"])
            self.server.set_clock("2026-05-01T12:00:00+08:00")
            waiting = self.api("GET", f"/api/v1/leads/{lead['id']}", token=token).json
            self.assertEqual((waiting["response_hours"], waiting["response_pending"]), (3.0, True))  # age so far
            # Logged at 14:30 but dated back to 10:00: the response counts when it was logged.
            self.server.set_clock("2026-05-01T14:30:00+08:00")
            self.api("POST", "/api/v1/activities", {"kind": "call", "lead_id": lead["id"],
                                                    "occurred_at": "2026-05-01T10:00:00+08:00"}, token=token)
            # Dated into the future: the last follow-up is never later than its logging.
            self.server.set_clock("2026-05-02T09:00:00+08:00")
            self.api("POST", "/api/v1/activities", {"kind": "call", "lead_id": lead["id"],
                                                    "occurred_at": "2026-06-30T09:00:00+08:00"}, token=token)
            got = self.api("GET", f"/api/v1/leads/{lead['id']}", token=token).json
            self.assertEqual((got["response_hours"], got["response_pending"]), (5.5, False))
            # (the test clock may have ticked a millisecond past the second)
            self.assertTrue(got["first_followup_at"].startswith("2026-05-01T14:30:00"), got["first_followup_at"])
            self.assertTrue(got["last_followup_at"].startswith("2026-05-02T09:00:00"), got["last_followup_at"])
            r = self.api("PATCH", f"/api/v1/leads/{lead['id']}", {"response_hours": 1}, token=token)
            self.assertProblem(r, 422, "validation.read_only")
        finally:
            self.server.reset_clock()


class WaitingResponseTimeTest(ApiTestCase):
    def test_lists_filter_sort_and_average_a_waiting_leads_age_as_shown(self):
        self.server.set_clock("2026-06-01T09:00:00+08:00")
        try:
            token = self.server.login("admin@a.test")
            mk = lambda name: self.api("POST", "/api/v1/leads", {"name": name, "company": "等待测试"}, token=token).json
            waiting, answered = mk("等了三小时"), mk("半小时回")
            self.server.set_clock("2026-06-01T09:30:00+08:00")
            self.api("POST", "/api/v1/activities", {"kind": "call", "lead_id": answered["id"]}, token=token)
            self.server.set_clock("2026-06-01T12:00:00+08:00")
            q = "/api/v1/leads?company=等待测试"
            slow = self.api("GET", q + "&response_hours[gte]=2").json["items"]
            self.assertEqual([x["name"] for x in slow], ["等了三小时"])
            self.assertEqual(slow[0]["response_hours"], 3.0)
            ordered = self.api("GET", q + "&sort=-response_hours").json["items"]
            self.assertEqual([x["name"] for x in ordered], ["等了三小时", "半小时回"])
            # Paging one by one sees each lead once.
            page1 = self.api("GET", q + "&sort=-response_hours&limit=1").json
            self.server.set_clock("2026-06-01T15:00:00+08:00")  # ages grow between pages
            page2 = self.api("GET", q + f"&sort=-response_hours&limit=1&cursor={page1['next_cursor']}").json
            self.assertEqual([x["name"] for x in page1["items"] + page2["items"]], ["等了三小时", "半小时回"])
            # Still waiting = the stored value is null.
            self.assertEqual([x["name"] for x in self.api("GET", q + "&response_hours[null]=true").json["items"]],
                             ["等了三小时"])
            # The average counts the waiting lead's age so far (6 h at 15:00), not only the answered 0.5 h.
            avg = self.api("GET", "/api/v1/leads/summary?company=等待测试&avg=response_hours").json["avg"]
            self.assertAlmostEqual(avg, (6.0 + 0.5) / 2, places=2)
        finally:
            self.server.reset_clock()


class DuplicateCheckTest(ApiTestCase):
    def test_names_the_owner_without_revealing_the_record(self):
        self.api("POST", "/api/v1/users", {"email": "owner@a.test", "name": "张伟", "password": PASSWORD, "role": "sales"})
        self.api("POST", "/api/v1/users", {"email": "other@a.test", "name": "刘洋", "password": PASSWORD, "role": "sales"})
        owner = self.server.login("owner@a.test")
        other = self.server.login("other@a.test")
        self.api("POST", "/api/v1/leads", {"name": "机密客户", "phone": "13600136001", "wechat": "wx_secret"}, token=owner)
        self.api("POST", "/api/v1/customers", {"name": "杭州云帆科技有限公司"}, token=owner)
        r = self.api("GET", "/api/v1/duplicates/check?phone=136%200013%206001&company=%E6%9D%AD%E5%B7%9E%E4%BA%91%E5%B8%86%E7%A7%91%E6%8A%80%E6%9C%89%E9%99%90%E5%85%AC%E5%8F%B8", token=other)
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json["duplicate"])
        kinds = sorted((m["entity"], m["field"]) for m in r.json["matches"])
        self.assertEqual(kinds, [("customers", "company"), ("leads", "phone")])
        for m in r.json["matches"]:
            self.assertEqual(m["owner"]["name"], "张伟")
            self.assertFalse(m["mine"])
        self.assertNotIn("机密客户", r.raw)
        self.assertNotIn('"id": "0', r.raw.replace(r.json["matches"][0]["owner"]["id"], ""))
        none = self.api("GET", "/api/v1/duplicates/check?wechat=nobody", token=other).json
        self.assertEqual(none, {"duplicate": False, "matches": []})
        self.assertProblem(self.api("GET", "/api/v1/duplicates/check?phone=abc"), 400, "query.bad_phone")
        self.assertProblem(self.api("GET", "/api/v1/duplicates/check"), 400, "query.nothing_to_check")


if __name__ == "__main__":
    unittest.main()
