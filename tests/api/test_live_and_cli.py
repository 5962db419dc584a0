"""The live event stream, ops endpoints and the CLI (demo, --help)."""
import http.client
import json
import os
import subprocess
import threading
import time
import unittest

from harness import BIN, ApiTestCase, Database, cli


class LiveStreamTest(ApiTestCase):
    def test_stream_delivers_record_events_of_the_own_tenant(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        conn.request("GET", "/api/v1/stream", headers={"Authorization": "Bearer " + self.token})
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        self.assertTrue(resp.getheader("Content-Type").startswith("text/event-stream"))
        rec = self.api("POST", "/api/v1/leads", {"name": "实时"}).json
        block = self.next_record_event(resp)
        data = json.loads(block["data"])
        self.assertEqual(data["type"], "lead.created")
        self.assertEqual(data["id"], rec["id"])
        self.assertEqual(block["id"], str(data["seq"]))
        conn.close()

    @staticmethod
    def next_record_event(resp):
        """Reads SSE blocks until one with `event: record`; returns its fields."""
        fields = {}
        while True:
            line = resp.fp.readline().decode().rstrip("\n")
            if line == "":
                if fields.get("event") == "record":
                    return fields
                fields = {}
            elif not line.startswith(":") and ": " in line:
                k, v = line.split(": ", 1)
                fields[k] = v

    def test_reconnect_with_last_event_id_replays_missed_events(self):
        first = self.api("POST", "/api/v1/leads", {"name": "断线前"}).json
        seq = self.api("GET", f"/api/v1/leads/{first['id']}/history").json["items"][0]["seq"]
        missed = self.api("POST", "/api/v1/leads", {"name": "断线期间"}).json
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        conn.request("GET", "/api/v1/stream", headers={"Authorization": "Bearer " + self.token,
                                                        "Last-Event-ID": str(seq)})
        resp = conn.getresponse()
        data = json.loads(self.next_record_event(resp)["data"])
        self.assertEqual((data["type"], data["id"]), ("lead.created", missed["id"]))
        conn.close()

    def test_a_replayed_notification_carries_what_to_show(self):
        before = self.api("POST", "/api/v1/leads", {"name": "通知前"}).json
        seq = self.api("GET", f"/api/v1/leads/{before['id']}/history").json["items"][0]["seq"]
        rule = self.api("POST", "/api/v1/rules", {
            "name": "新线索通知", "trigger": {"event": "lead.created"}, "condition": 'lead.name == "通知期间"',
            "actions": [{"type": "notify", "channel": "in_app", "to": "owner", "title": "新线索 {{lead.name}}",
                         "silent_period": "send"}]})
        self.assertEqual(rule.status, 201, rule)
        self.api("POST", "/api/v1/leads", {"name": "通知期间"})
        deadline = time.time() + 20
        while time.time() < deadline and not self.api("GET", "/api/v1/me/notifications").json["items"]:
            time.sleep(0.1)
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        conn.request("GET", "/api/v1/stream", headers={"Authorization": "Bearer " + self.token,
                                                        "Last-Event-ID": str(seq)})
        resp = conn.getresponse()
        while True:
            data = json.loads(self.next_record_event(resp)["data"])
            if data["type"] == "notification.created":
                break
        self.assertEqual(data["title"], "新线索 通知期间")
        conn.close()

    def test_stream_needs_a_session(self):
        self.assertProblem(self.server.request("GET", "/api/v1/stream"), 401, "auth.unauthenticated")

    def test_health_metrics_and_ui_fallback(self):
        self.assertEqual(self.server.request("GET", "/healthz").json, {"status": "ok"})
        m = self.server.request("GET", "/metrics")
        self.assertIn("leadflow_http_requests_total", m.raw)
        self.assertIn("leadflow_db_transactions_total", m.raw)
        page = self.server.request("GET", "/leads/123")
        self.assertEqual(page.status, 200)
        self.assertIn("text/html", page.headers["Content-Type"])


class CliTest(unittest.TestCase):
    def test_help_documents_every_subcommand(self):
        out = subprocess.run([BIN, "--help"], capture_output=True, text=True).stdout
        for cmd in ("serve", "migrate", "init", "demo", "backup", "restore", "audit"):
            self.assertIn(cmd, out)

    def test_demo_creates_the_company_once(self):
        db = Database()
        try:
            r = cli(db, "demo", "--leads", "120")
            self.assertIn("8 users", r.stdout)
            self.assertEqual(db.scalar("SELECT COUNT(*) FROM users"), "8")
            self.assertEqual(db.scalar("SELECT COUNT(*) FROM leads"), "120")
            roles = sorted(r[0] for r in db.sql("SELECT DISTINCT role FROM users"))
            self.assertEqual(roles, ["admin", "customer_success", "sales", "supervisor"])
            self.assertGreater(int(db.scalar("SELECT COUNT(*) FROM activities")), 60)
            again = cli(db, "demo", "--leads", "120")
            self.assertIn("already present", again.stdout)
            self.assertEqual(db.scalar("SELECT COUNT(*) FROM leads"), "120")
        finally:
            db.cleanup()

    def test_import_command_shows_progress_and_writes_the_error_report(self):
        db = Database()
        try:
            cli(db, "init", "--tenant", "导入公司", "--admin-email", "imp@x.test", stdin="pass-word-123\n")
            path = os.path.join(db.tmp, "名单.csv")
            with open(path, "wb") as f:
                f.write("姓名,手机号,来源渠道\r\n张总,13800001111,抖音表单\r\n李总,bad,官网咨询\r\n".encode("gbk"))
            r = subprocess.run([BIN, "import", path, "--db", db.url, "--entity", "leads", "--timezone", "Asia/Shanghai"],
                               capture_output=True, text=True, timeout=120)
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)  # one row failed
            self.assertIn("100% 2/2", r.stdout)
            self.assertIn("imported 1", r.stdout)
            with open(path + ".errors.csv", encoding="utf-8-sig") as f:
                report = f.read()
            self.assertIn("3,手机号,phone,validation.bad_phone", report)
            self.assertEqual(db.scalar("SELECT channel FROM leads WHERE name = '张总'"), "douyin_form")
        finally:
            db.cleanup()

    def test_init_rejects_a_short_password(self):
        db = Database()
        try:
            r = cli(db, "init", "--tenant", "X", "--admin-email", "x@x.test", stdin="short\n", check=False)
            self.assertEqual(r.returncode, 1)
            self.assertIn("validation.weak_password", r.stderr)
        finally:
            db.cleanup()


if __name__ == "__main__":
    unittest.main()
