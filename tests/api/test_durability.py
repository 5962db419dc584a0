"""A 2xx means durable: kill -9 the server while clients create leads, restart, and every
acknowledged lead is there exactly once; the database and the audit chain stay intact. Also the
audit chain detects tampering, and backups restore."""
import concurrent.futures
import os
import random
import threading
import time
import unittest

from harness import ENGINE, ApiTestCase, Database, Server, cli, new_tenant


class CrashTest(ApiTestCase):
    def test_acknowledged_leads_survive_ten_kill9(self):
        acked, lock = [], threading.Lock()
        rng = random.Random(7)
        for round_no in range(10):
            stop = threading.Event()

            def writer(n):
                i = 0
                while not stop.is_set():
                    i += 1
                    name = f"crash-{round_no}-{n}-{i}"
                    try:
                        r = self.server.request("POST", "/api/v1/leads", {"name": name, "channel": "website"}, token=self.token)
                    except Exception:
                        return
                    if r.status == 201:
                        with lock:
                            acked.append((name, r.json["id"]))
            with concurrent.futures.ThreadPoolExecutor(8) as pool:
                futures = [pool.submit(writer, n) for n in range(8)]
                time.sleep(0.15 + rng.random() * 0.35)
                self.server.kill9()
                stop.set()
                for f in futures:
                    f.result()
            self.server = Server(self.db).start()
            type(self).server = self.server
        self.assertGreater(len(acked), 50)
        rows = self.db.sql("SELECT id, name FROM leads WHERE name LIKE 'crash-%'")
        stored = {}
        for rid, name in rows:
            stored.setdefault(name, []).append(rid)
        for name, rid in acked:
            self.assertEqual(stored.get(name), [rid], f"acknowledged lead {name} lost or duplicated")
        if ENGINE == "sqlite":
            self.assertEqual(self.db.scalar("PRAGMA integrity_check"), "ok")
        v = cli(self.db, "audit", "verify", check=False)
        self.assertEqual(v.returncode, 0, v.stdout + v.stderr)


class AuditChainTest(ApiTestCase):
    def test_verify_detects_edited_and_deleted_events(self):
        rec = self.api("POST", "/api/v1/leads", {"name": "审计"}).json
        self.api("PATCH", f"/api/v1/leads/{rec['id']}", {"name": "审计2"})
        ok = cli(self.db, "audit", "verify", check=False)
        self.assertEqual(ok.returncode, 0, ok.stdout)
        self.assertIn("chain intact", ok.stdout)
        self.db.sql("UPDATE events SET data = replace(data, '审计2', '伪造') WHERE type = 'lead.updated'")
        bad = cli(self.db, "audit", "verify", check=False)
        self.assertEqual(bad.returncode, 1)
        self.assertIn("altered", bad.stdout)

    def test_verify_detects_a_deleted_tail_event(self):
        db = Database()
        try:
            new_tenant(db, "T", "t@t.test")
            self.assertEqual(cli(db, "audit", "verify", check=False).returncode, 0)
            db.sql("DELETE FROM events WHERE seq = (SELECT MAX(seq) FROM events)")
            bad = cli(db, "audit", "verify", check=False)
            self.assertEqual(bad.returncode, 1, bad.stdout)
            self.assertIn("chain head", bad.stdout)
        finally:
            db.cleanup()


class BackupTest(ApiTestCase):
    def test_online_backup_restores_into_a_fresh_database(self):
        for i in range(30):
            self.api("POST", "/api/v1/leads", {"name": f"备份{i}"})
        self.api("POST", "/api/v1/schema/leads/fields", {"name": "esg", "label_zh": "ESG", "type": "number"})
        path = os.path.join(self.db.tmp, "backup.jsonl")
        r = cli(self.db, "backup", path)  # the server is running meanwhile
        self.assertIn("backed up", r.stdout)
        target = Database()
        try:
            cli(target, "restore", path)
            self.assertEqual(target.scalar("SELECT COUNT(*) FROM leads"), self.db.scalar("SELECT COUNT(*) FROM leads"))
            self.assertEqual(cli(target, "audit", "verify", check=False).returncode, 0)
            srv = Server(target).start()
            try:
                token = srv.login("admin@a.test")
                r = srv.request("GET", "/api/v1/leads?with_total=true&esg[null]=true", token=token)
                self.assertEqual(r.json["total"], 30)
            finally:
                srv.stop()
            again = cli(target, "restore", path, check=False)
            self.assertNotEqual(again.returncode, 0)
            self.assertIn("empty database", again.stderr)
        finally:
            target.cleanup()


if __name__ == "__main__":
    unittest.main()
