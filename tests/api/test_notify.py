"""Notifications (issue 4 §6) against real peers: a local HTTP receiver that checks DingTalk robot
signatures, WeCom robot keys and LeadFlow webhook signatures, and an SMTP server (aiosmtpd).
Channels keep their secrets, URLs pass the SSRF guard (also after redirects), every delivery is
logged, failures retry with backoff into a dead letter that raises an alert, and a receiver that
hangs or drops the connection blocks nothing else. Also the escalate and send_document actions."""
import email.header
import time

from receivers import Mailbox, Receiver
from test_rules import RulesBase, eventually

SUP_PHONE = "13800000001"


class NotifyBase(RulesBase):
    server_args = ("--outbound-timeout", "1")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rx = Receiver()
        cls.mail = Mailbox()
        req = lambda m, p, b=None: cls.server.request(m, p, b, token=cls.token)
        assert req("PATCH", f"/api/v1/users/{cls.ids['sup']}", {"phone": SUP_PHONE}).status == 200
        # The receivers listen on loopback: the tests allow-list it explicitly.
        r = req("PUT", "/api/v1/settings/outbound", {"allow": ["127.0.0.1"]})
        assert r.status == 200, r

    @classmethod
    def tearDownClass(cls):
        cls.rx.stop()
        cls.mail.stop()
        super().tearDownClass()

    def channel(self, kind, name, config, **extra):
        r = self.api("POST", "/api/v1/notification-channels", {"kind": kind, "name": name, "config": config, **extra})
        self.assertEqual(r.status, 201, r)
        return r.json

    def dingtalk(self, name, behaviour="ok", **extra):
        token, secret = "tok-" + name, "SEC" + name * 3
        self.rx.robots[name] = {"token": token, "secret": secret}
        self.rx.behaviour[name] = behaviour
        return self.channel("dingtalk", "钉钉·" + name,
                            {"url": f"{self.rx.base}/dingtalk/{name}?access_token={token}", "secret": secret}, **extra)

    def deliveries(self, **filters):
        q = "&".join(f"{k}={v}" for k, v in filters.items())
        r = self.api("GET", "/api/v1/deliveries?" + q)
        self.assertEqual(r.status, 200, r)
        return r.json["items"]

    def delivery_of(self, record_id, status, **more):
        return eventually(lambda: [d for d in self.deliveries(record_id=record_id, **more) if d["status"] == status],
                          what=f"a {status} delivery")[0]


class ChannelsTest(NotifyBase):
    def test_secrets_are_never_returned_and_urls_pass_the_ssrf_guard(self):
        ch = self.dingtalk("secretive")
        self.assertEqual(ch["config"]["secret_set"], True)
        self.assertNotIn("secret", ch["config"])
        self.assertIn("access_token=tok-****", ch["config"]["url"])
        listed = [c for c in self.api("GET", "/api/v1/notification-channels").json["items"] if c["id"] == ch["id"]][0]
        self.assertNotIn("SECsecretive", str(listed))
        # A rename keeps the secret and the URL, even when the masked URL is sent back.
        r = self.api("PATCH", f"/api/v1/notification-channels/{ch['id']}",
                     {"name": "销售群", "config": {"url": ch["config"]["url"]}})
        self.assertEqual((r.status, r.json["name"], r.json["config"]["secret_set"]), (200, "销售群", True), r)
        stored = self.db.scalar(f"SELECT config FROM notification_channels WHERE id = '{ch['id']}'")
        self.assertIn("SECsecretivesecretivesecretive", stored)
        self.assertIn("access_token=tok-secretive", stored)
        # The test message goes through the real signature check.
        t = self.api("POST", f"/api/v1/notification-channels/{ch['id']}/test")
        self.assertEqual((t.status, t.json["status"]), (200, "delivered"), t)
        got = self.rx.wait_for(lambda m: m["name"] == "secretive")[0]["body"]
        self.assertEqual(got["msgtype"], "markdown")
        self.assertIn("LeadFlow 测试消息", got["markdown"]["title"])

        # Internal destinations are refused unless allow-listed; other schemes never.
        for url, code in (("http://10.1.2.3/hook", "outbound.blocked_address"),
                          ("http://169.254.169.254/latest/meta-data", "outbound.blocked_address"),
                          ("http://[::1]:9/x", "outbound.blocked_address"),
                          ("http://127.0.0.2:9/x", "outbound.blocked_address"),
                          ("file:///etc/passwd", "outbound.bad_url"),
                          ("gopher://127.0.0.1/x", "outbound.bad_url")):
            r = self.api("POST", "/api/v1/notification-channels", {"kind": "webhook", "name": "x", "config": {"url": url}})
            self.assertProblem(r, 422, code)
            self.assertEqual(r.json["field"], "config.url", r)
        before = self.db.scalar("SELECT COUNT(*) FROM notification_channels")
        for body, code in (({"kind": "fax", "name": "x", "config": {}}, "validation.required"),
                           ({"kind": "wecom", "name": "x", "config": {"url": self.rx.base + "/wecom/x", "token": "1"}},
                            "validation.unknown_field"),
                           ({"kind": "email", "name": "x", "config": {"smtp_url": "smtp://127.0.0.1:25"}}, "validation.required"),
                           ({"kind": "wecom", "name": "x", "config": {"url": 5}}, "validation.wrong_type"),
                           ({"kind": "wecom", "name": "x", "colour": "red", "config": {}}, "validation.unknown_field")):
            self.assertProblem(self.api("POST", "/api/v1/notification-channels", body), 422, code)
        self.assertEqual(self.db.scalar("SELECT COUNT(*) FROM notification_channels"), before)
        self.assertProblem(self.api("PUT", "/api/v1/settings/outbound", {"allow": ["10.0.0.0/33"]}), 422,
                           "outbound.bad_allow_entry")
        self.assertProblem(self.api("PUT", "/api/v1/settings/outbound", {"allow": ["a b"]}), 422, "outbound.bad_allow_entry")
        self.assertEqual(self.api("GET", "/api/v1/settings/outbound").json, {"allow": ["127.0.0.1"]})
        # Salespeople manage neither channels nor the log.
        self.assertProblem(self.as_("s1", "GET", "/api/v1/notification-channels"), 403, "access.forbidden")
        self.assertProblem(self.as_("s1", "GET", "/api/v1/deliveries"), 403, "access.forbidden")
        # A rule cannot name a channel that does not exist (or another kind's).
        r = self.api("POST", "/api/v1/rules", {"name": "x", "trigger": {"event": "lead.created"}, "actions": [
            {"type": "notify", "channel": "wecom", "channel_id": ch["id"]}]})
        self.assertProblem(r, 422, "rules.unknown_channel")
        r = self.api("POST", "/api/v1/rules", {"name": "x", "trigger": {"event": "lead.created"}, "actions": [
            {"type": "notify", "channel": "dingtalk", "text": "{{lead.nope}}"}]})
        self.assertProblem(r, 422, "rules.unknown_variable")

    def test_a_redirect_to_an_internal_address_is_checked_again(self):
        # 127.0.0.1 is allowed; the receiver redirects to 127.0.0.2, which is not.
        self.rx.behaviour["bouncer"] = ("redirect", f"http://127.0.0.2:{self.rx.port}/hook/landed")
        ch = self.channel("webhook", "跳转", {"url": f"{self.rx.base}/hook/bouncer"})
        t = self.api("POST", f"/api/v1/notification-channels/{ch['id']}/test")
        self.assertEqual(t.status, 200, t)
        self.assertEqual(t.json["status"], "retrying", t)
        self.assertIn("blocked: 127.0.0.2", t.json["last_error"])
        self.assertFalse([m for m in self.rx.received if m["name"] == "landed"])


class DeliveryTest(NotifyBase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        r = cls.server.request("POST", "/api/v1/rule-templates/three_color_funnel/install", {}, token=cls.token)
        assert r.status == 201, r

    def test_a_red_lead_reaches_the_supervisor_on_dingtalk_signed_with_masked_phone(self):
        self.dingtalk("sales", is_default=True)
        self.assertEqual(self.api("PUT", "/api/v1/sensitive-fields/leads/phone", {"sensitive": True}).status, 200)
        try:
            lead = self.as_("s1", "POST", "/api/v1/leads", {"name": "红客户", "company": "华星科技", "phone": "13912345678",
                                                             "channel": "douyin_form", "first_touch": "book_demo"}).json
            msg = self.rx.wait_for(lambda m: m["name"] == "sales" and "红客户" in m["body"]["markdown"]["text"])[0]["body"]
        finally:
            self.api("PUT", "/api/v1/sensitive-fields/leads/phone", {"sensitive": False})
        text = msg["markdown"]["text"]
        self.assertEqual(msg["markdown"]["title"], "红色高意向线索:红客户")
        self.assertIn("抖音表单", text)   # the channel's label, not its code
        self.assertIn("预约演示", text)
        self.assertIn("139****5678", text)  # sensitive: masked outside the app
        self.assertNotIn("13912345678", text)
        self.assertIn("负责人:s1", text)
        self.assertIn("sup,请在黄金 3 分钟内确认跟进", text)
        self.assertIn(f"/leads/{lead['id']}", text)
        self.assertEqual(msg["at"], {"atMobiles": [SUP_PHONE], "isAtAll": False})
        self.assertIn("@" + SUP_PHONE, text)
        d = self.delivery_of(lead["id"], "delivered")
        self.assertEqual((d["channel_kind"], d["attempts"], d["rule_name"], d["recipient"], d["response_code"]),
                         ("dingtalk", 1, "三色漏斗 · 红", self.ids["sup"], 200), d)
        self.assertIsNotNone(d["latency_ms"])
        # The firing names its delivery.
        f = [x for x in self.as_("s1", "GET", f"/api/v1/rule-firings?entity=leads&record_id={lead['id']}").json["items"]
             if x["action_index"] == 3][0]
        self.assertEqual((f["status"], f["result"]["delivery_id"]), ("done", d["id"]), f)

    def test_wecom_markdown_and_email_to_the_owner(self):
        self.rx.robots["team"] = {"key": "wecom-key-1"}
        wecom = self.channel("wecom", "企业微信群", {"url": f"{self.rx.base}/wecom/team?key=wecom-key-1"})
        mail = self.channel("email", "公司邮箱", {"smtp_url": f"smtp://127.0.0.1:{self.mail.port}", "from": "crm@a.test"})
        self.rule(name="企微与邮件", trigger={"event": "lead.created"}, condition='lead.name == "多渠道客户"', actions=[
            {"type": "notify", "channel": "wecom", "channel_id": wecom["id"], "title": "新线索 {{lead.name}}",
             "silent_period": "send"},
            {"type": "notify", "channel": "email", "to": "owner", "title": "请跟进:{{lead.name}}", "silent_period": "send",
             "text": "{{recipient.name}} 您好,线索「{{lead.name}}」({{lead.channel}})已分配给您。"}])
        lead = self.as_("s1", "POST", "/api/v1/leads", {"name": "多渠道客户", "channel": "website"}).json
        w = self.rx.wait_for(lambda m: m["name"] == "team")[0]["body"]
        self.assertEqual(w["msgtype"], "markdown")
        self.assertIn("新线索 多渠道客户", w["markdown"]["content"])
        m = self.mail.wait_for(lambda m: "s1@a.test" in m["to"])[0]
        self.assertEqual(m["from"], "crm@a.test")
        self.assertEqual(str(email.header.make_header(email.header.decode_header(m["message"]["Subject"]))),
                         "请跟进:多渠道客户")
        self.assertIn("s1 您好,线索「多渠道客户」(官网咨询)已分配给您。", m["message"].get_content())
        self.assertEqual({d["status"] for d in self.deliveries(record_id=lead["id"])}, {"delivered"})
        self.assertEqual(mail["config"]["password_set"], False)

    def test_failures_retry_with_backoff_into_a_dead_letter_that_alerts_the_rule_author(self):
        bad = self.dingtalk("flaky", behaviour="500")
        rule = self.rule(name="失败的通知", trigger={"event": "lead.created"}, condition='lead.name == "失败客户"',
                         actions=[{"type": "notify", "channel": "dingtalk", "channel_id": bad["id"], "to": "supervisor",
                                   "silent_period": "send"}])
        lead = self.as_("s1", "POST", "/api/v1/leads", {"name": "失败客户"}).json
        d = self.delivery_of(lead["id"], "retrying")
        self.assertEqual((d["attempts"], d["last_error"], d["response_code"]), (1, "HTTP 500", 500), d)
        self.assertIsNotNone(d["next_attempt_at"])
        # Nothing happens before the backoff is over; then each attempt waits longer.
        time.sleep(0.5)
        self.assertEqual(self.api("GET", f"/api/v1/deliveries/{d['id']}").json["attempts"], 1)
        try:
            now = time.time()
            for attempt, ahead in ((2, 11), (3, 72), (4, 380), (5, 2200)):
                now += ahead
                self.server.set_clock(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)))
                got = eventually(lambda: (lambda x: x if x["attempts"] == attempt and x["status"] != "sending" else None)(
                    self.api("GET", f"/api/v1/deliveries/{d['id']}").json), what=f"attempt {attempt}")
            self.assertEqual(got["status"], "dead", got)
        finally:
            self.server.reset_clock()
        # The dead letter raised an alert for whoever wrote the rule (the admin).
        alert = eventually(lambda: [a for a in self.api("GET", "/api/v1/alerts?state=open").json["items"]
                                    if a["kind"] == "delivery_failed" and a["record_id"] == lead["id"]], what="alert")[0]
        self.assertEqual((alert["severity"], alert["rule_id"]), ("critical", rule["id"]))
        self.assertIn("HTTP 500", alert["title"])
        # Fixed receiver: an admin queues it again and it arrives.
        self.rx.behaviour["flaky"] = "ok"
        r = self.api("POST", f"/api/v1/deliveries/{d['id']}/retry")
        self.assertEqual((r.status, r.json["status"]), (200, "retrying"), r)
        self.delivery_of(lead["id"], "delivered")
        self.assertProblem(self.api("POST", f"/api/v1/deliveries/{d['id']}/retry"), 409, "notify.not_dead")

    def test_a_hanging_or_closing_receiver_blocks_nothing_else(self):
        self.rx.behaviour["sleepy"] = "hang"
        self.rx.behaviour["rude"] = "close"
        self.rx.robots["quick"] = {"key": "k-quick"}
        hang = self.channel("webhook", "挂起", {"url": f"{self.rx.base}/hook/sleepy"})
        close = self.channel("webhook", "断开", {"url": f"{self.rx.base}/hook/rude"})
        quick = self.channel("wecom", "正常", {"url": f"{self.rx.base}/wecom/quick?key=k-quick"})
        self.rule(name="三个接收方", trigger={"event": "lead.created"}, condition='lead.name == "并发客户"', actions=[
            {"type": "webhook", "channel_id": hang["id"]}, {"type": "webhook", "channel_id": close["id"]},
            {"type": "notify", "channel": "wecom", "channel_id": quick["id"], "silent_period": "send"}])
        lead = self.as_("s1", "POST", "/api/v1/leads", {"name": "并发客户"}).json
        started = time.time()
        self.rx.wait_for(lambda m: m["name"] == "quick")
        self.assertLess(time.time() - started, 10)  # not after the hanging one's 30 s
        self.assertEqual(self.delivery_of(lead["id"], "delivered")["channel_id"], quick["id"])
        failed = eventually(lambda: {d["channel_id"]: d for d in self.deliveries(record_id=lead["id"], status="retrying")}
                            if len(self.deliveries(record_id=lead["id"], status="retrying")) == 2 else None, what="2 failures")
        self.assertIn("Timeout", failed[hang["id"]]["last_error"])
        self.assertTrue(failed[close["id"]]["last_error"])

    def test_webhook_is_signed_and_masks_sensitive_fields(self):
        hook = self.channel("webhook", "ERP", {"url": f"{self.rx.base}/hook/erp", "secret": "whsec-1"})
        self.rx.robots["erp"] = {"secret": "whsec-1"}
        self.rule(name="推送 ERP", trigger={"event": "lead.created"}, condition='lead.name == "ERP客户"',
                  actions=[{"type": "webhook", "channel_id": hook["id"]}])
        self.assertEqual(self.api("PUT", "/api/v1/sensitive-fields/leads/wechat", {"sensitive": True}).status, 200)
        try:
            lead = self.as_("s1", "POST", "/api/v1/leads", {"name": "ERP客户", "wechat": "wx_abcdef123"}).json
            body = self.rx.wait_for(lambda m: m["name"] == "erp")[0]["body"]
        finally:
            self.api("PUT", "/api/v1/sensitive-fields/leads/wechat", {"sensitive": False})
        self.assertEqual((body["type"], body["rule"]["name"], body["entity"], body["record"]["id"]),
                         ("rule.fired", "推送 ERP", "leads", lead["id"]))
        self.assertNotEqual(body["record"]["wechat"], "wx_abcdef123")
        self.assertFalse([r for r in self.rx.rejected if r[0] == "erp"])


class EscalateAndDocumentTest(NotifyBase):
    def test_escalate_gives_the_supervisor_a_task_and_an_alert_and_a_document_lands_on_the_timeline(self):
        pdf = b"%PDF-1.4\n% competitor comparison\n" + bytes(range(256)) * 40
        up = self.server.request("POST", "/api/v1/documents?name=竞品对比表.pdf", raw=pdf, token=self.token,
                                 headers={"Content-Type": "application/pdf"})
        self.assertEqual(up.status, 201, up)
        doc = up.json
        self.assertEqual((doc["name"], doc["mime"], doc["size"]), ("竞品对比表.pdf", "application/pdf", len(pdf)))
        self.assertEqual(self.server.request("POST", "/api/v1/documents?name=x.pdf", raw=b"x", token=self.tok["s1"],
                                             headers={"Content-Type": "application/pdf"}).status, 403)
        self.assertEqual([d["id"] for d in self.as_("s1", "GET", "/api/v1/documents").json["items"]], [doc["id"]])
        self.assertEqual(self.server.request_bytes("GET", f"/api/v1/documents/{doc['id']}/content", token=self.tok["s1"]), pdf)
        self.assertProblem(self.api("POST", "/api/v1/rules", {"name": "x", "trigger": {"event": "lead.created"},
                                                             "actions": [{"type": "send_document", "document_id": "nope"}]}),
                           422, "rules.unknown_document")
        self.rule(name="资料与升级", trigger={"event": "lead.created"}, condition='lead.name == "资料客户"', actions=[
            {"type": "send_document", "document_id": doc["id"]},
            {"type": "escalate", "title": "请介入「{{lead.name}}」", "due": "4h", "silent_period": "send"}])
        lead = self.as_("s1", "POST", "/api/v1/leads", {"name": "资料客户"}).json
        hist = eventually(lambda: [h for h in self.as_("s1", "GET", f"/api/v1/leads/{lead['id']}/history").json["items"]
                                   if h["type"] == "lead.document_sent"], what="document on the timeline")
        self.assertEqual(hist[0]["document"], {"id": doc["id"], "name": "竞品对比表.pdf"})
        self.assertEqual(hist[0]["caused_by"]["rule_name"], "资料与升级")
        tasks = eventually(lambda: [t for t in self.as_("sup", "GET", "/api/v1/tasks").json["items"]
                                    if t["title"] == "请介入「资料客户」"], what="the supervisor's task")
        self.assertEqual(tasks[0]["owner_id"], self.ids["sup"])
        alerts = eventually(lambda: [a for a in self.as_("sup", "GET", "/api/v1/alerts?state=open").json["items"]
                                     if a["kind"] == "escalation" and a["record_id"] == lead["id"]], what="escalation")
        self.assertEqual(alerts[0]["supervisor_id"], self.ids["sup"])
        # Archived documents leave the library; a rule naming one records a failed firing.
        self.assertEqual(self.api("POST", f"/api/v1/documents/{doc['id']}/archive").status, 200)
        self.assertEqual(self.as_("s1", "GET", "/api/v1/documents").json["items"], [])
        lead2 = self.as_("s1", "POST", "/api/v1/leads", {"name": "资料客户"}).json
        self.wait_caught_up()
        st = self.db.scalar(f"SELECT status FROM rule_firings WHERE record_id = '{lead2['id']}' AND action_index = 0")
        self.assertEqual(st, "failed")


class TwoInstancesTest(NotifyBase):
    """Issue 4 §8: two servers on one database — each timer, cron slot and delivery fires once."""

    def test_timers_cron_slots_and_deliveries_fire_once_across_two_servers(self):
        import datetime
        from harness import Server
        from test_rules import SH
        other = Server(self.db, self.server_args).start()
        servers = (self.server, other)
        try:
            self.rx.robots["twin"] = {"key": "k-twin"}
            ch = self.channel("wecom", "双实例群", {"url": f"{self.rx.base}/wecom/twin?key=k-twin"})
            self.rule(name="双实例定时", trigger={"after": {"event": "lead.created", "delay": "1h"}},
                      condition='lead.company == "双实例"',
                      actions=[{"type": "alert", "kind": "twin_timer", "title": "定时 {{lead.name}}", "silent_period": "send"},
                               {"type": "notify", "channel": "wecom", "channel_id": ch["id"], "title": "定时 {{lead.name}}",
                                "silent_period": "send"}])
            cron = self.rule(name="双实例每日", trigger={"cron": "0 9 * * *", "entity": "leads"},
                             condition='lead.company == "双实例"',
                             actions=[{"type": "alert", "kind": "twin_cron", "title": "每日", "silent_period": "send"}])
            b_token = other.login("admin@a.test")
            names = []
            for i in range(20):
                srv, tok = (self.server, self.token) if i % 2 else (other, b_token)
                r = srv.request("POST", "/api/v1/leads", {"name": f"双{i}", "company": "双实例"}, token=tok)
                self.assertEqual(r.status, 201, r)
                names.append(f"双{i}")
            self.wait_caught_up()
            later = datetime.datetime.now(SH) + datetime.timedelta(hours=1, minutes=5)
            for s in servers:
                s.set_clock(later.isoformat())
            count = lambda kind: int(self.db.scalar(f"SELECT COUNT(*) FROM alerts WHERE kind = '{kind}'"))
            eventually(lambda: count("twin_timer") >= 20, what="20 timer alerts")
            self.rx.wait_for(lambda m: m["name"] == "twin" and len([x for x in self.rx.received if x["name"] == "twin"]) >= 20)
            time.sleep(2)  # time for a double to show up
            self.assertEqual(count("twin_timer"), 20)
            sent = sorted(m["body"]["markdown"]["content"].split("**")[1].removeprefix("定时 ")
                          for m in self.rx.received if m["name"] == "twin")
            self.assertEqual(sent, sorted(names))
            self.assertEqual(self.db.scalar("SELECT COUNT(*) FROM deliveries WHERE status = 'delivered' AND "
                                            f"channel_id = '{ch['id']}'"), "20")
            # The next 09:00 slot in the tenant's zone: once per lead, whichever server gets there first.
            # (Run between 07:55 and 09:00 Shanghai time, the hour the timers skipped already held a
            # 09:00 slot: that one fired too, once per lead.)
            slot = eventually(lambda: self.db.sql(f"SELECT next_at FROM rule_cron_slots WHERE rule_id = '{cron['id']}'"),
                              what="cron slot")
            time.sleep(1)  # a slot the skipped hour made due has committed by now
            before = count("twin_cron")
            self.assertIn(before, (0, 20))
            slot = self.db.sql(f"SELECT next_at FROM rule_cron_slots WHERE rule_id = '{cron['id']}'")
            at = datetime.datetime.fromtimestamp(int(slot[0][0]) / 1000, SH) + datetime.timedelta(seconds=30)
            for s in servers:
                s.set_clock(at.isoformat())
            eventually(lambda: count("twin_cron") >= before + 20, what="20 cron alerts")
            time.sleep(2)
            self.assertEqual(count("twin_cron"), before + 20)
        finally:
            for s in servers:
                s.reset_clock()
            other.stop()


class AttachmentsTest(NotifyBase):
    def test_files_attached_to_a_lead_follow_the_leads_access(self):
        lead = self.as_("s1", "POST", "/api/v1/leads", {"name": "带附件"}).json
        data = "报价单 v2\n".encode() * 100
        up = self.server.request("POST", f"/api/v1/leads/{lead['id']}/attachments?name=报价单.txt", raw=data,
                                 token=self.tok["s1"], headers={"Content-Type": "text/plain; charset=utf-8"})
        self.assertEqual(up.status, 201, up)
        att = up.json
        self.assertEqual((att["name"], att["mime"], att["size"]), ("报价单.txt", "text/plain", len(data)))
        items = self.as_("s1", "GET", f"/api/v1/leads/{lead['id']}/attachments").json["items"]
        self.assertEqual([i["id"] for i in items], [att["id"]])
        self.assertEqual(self.server.request_bytes("GET", f"/api/v1/documents/{att['id']}/content", token=self.tok["s1"]), data)
        # The supervisor of s1 reads the lead and its files; a salesperson of another team sees neither.
        self.assertEqual(len(self.as_("sup", "GET", f"/api/v1/leads/{lead['id']}/attachments").json["items"]), 1)
        self.assertProblem(self.as_("s2", "GET", f"/api/v1/leads/{lead['id']}/attachments"), 404, "record.not_found")
        self.assertProblem(self.as_("s2", "GET", f"/api/v1/documents/{att['id']}/content"), 404, "document.not_found")
        r = self.server.request("POST", f"/api/v1/leads/{lead['id']}/attachments?name=x.txt", raw=b"x",
                                token=self.tok["s2"], headers={"Content-Type": "text/plain"})
        self.assertEqual(r.status, 404, r)
        # Not in the shared library; on the lead's timeline.
        self.assertNotIn(att["id"], [d["id"] for d in self.api("GET", "/api/v1/documents").json["items"]])
        hist = self.as_("s1", "GET", f"/api/v1/leads/{lead['id']}/history").json["items"]
        added = [h for h in hist if h["type"] == "lead.attachment_added"]
        self.assertEqual(added[0]["document"], {"id": att["id"], "name": "报价单.txt"})
        # Bad input changes nothing.
        before = self.db.scalar("SELECT COUNT(*) FROM documents")
        for name, body in (("", b"x"), ("a/b.txt", b"x"), ("ok.txt", b"")):
            r = self.server.request("POST", f"/api/v1/leads/{lead['id']}/attachments?name={name}", raw=body,
                                    token=self.tok["s1"], headers={"Content-Type": "text/plain"})
            self.assertIn(r.status, (400, 422), r)
        self.assertEqual(self.db.scalar("SELECT COUNT(*) FROM documents"), before)
