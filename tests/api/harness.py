"""Test harness for the API suites: starts the real `leadflow` binary on a fresh database (SQLite
file or a new PostgreSQL database in the cluster tests/pg.sh started) and talks HTTP to it.

Environment: LEADFLOW_BIN (binary), LEADFLOW_TEST_DB (sqlite|postgres), LEADFLOW_PG_DIR (cluster dir).
"""
import datetime
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
import uuid

BIN = os.environ.get("LEADFLOW_BIN", os.path.join(os.path.dirname(__file__), "../../build/leadflow"))
ENGINE = os.environ.get("LEADFLOW_TEST_DB", "sqlite")
PASSWORD = "correct-horse-9"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def pg_url(dbname):
    with open(os.path.join(os.environ["LEADFLOW_PG_DIR"], "url")) as f:
        base = f.read().strip()
    return base.rsplit("/", 1)[0] + "/" + dbname


def psql(url, sql):
    return subprocess.run(["psql", "-qAtX", url, "-c", sql], check=True, capture_output=True,
                          text=True).stdout


class Database:
    """A fresh database of the engine under test; `sql` runs raw SQL (for tampering checks)."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="lf-api-")
        if ENGINE == "postgres":
            name = "lf_" + uuid.uuid4().hex[:12]
            psql(pg_url("postgres"), f"CREATE DATABASE {name}")
            self.url = pg_url(name)
        else:
            self.path = os.path.join(self.tmp, "leadflow.db")
            self.url = "sqlite:" + self.path

    def sql(self, statement):
        if ENGINE == "postgres":
            out = psql(self.url, statement)
            return [line.split("|") for line in out.splitlines() if line]
        con = sqlite3.connect(self.path, timeout=30)
        try:
            rows = con.execute(statement).fetchall()
            con.commit()
            return [[str(c) if c is not None else "" for c in r] for r in rows]
        finally:
            con.close()

    def scalar(self, statement):
        return self.sql(statement)[0][0]

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


def cli(db, *args, stdin=None, check=True):
    return subprocess.run([BIN, *args, "--db", db.url], input=stdin, capture_output=True, text=True,
                          check=check, timeout=300)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.raw = body
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def __repr__(self):
        return f"<{self.status} {self.raw[:300]!r}>"


class Server:
    def __init__(self, db, extra_args=()):
        self.db = db
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = None
        self.extra_args = list(extra_args)

    def start(self):
        log = open(os.path.join(self.db.tmp, f"server-{self.port}.log"), "a")
        self.proc = subprocess.Popen([BIN, "serve", "--db", self.db.url, "--port", str(self.port), "--test-clock",
                                      "--web", os.environ.get("LEADFLOW_WEB", "web/dist"),
                                      *self.extra_args], stdout=log, stderr=log)
        log.close()  # the child keeps its own descriptor
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1)
                return self
            except Exception:
                if self.proc.poll() is not None:
                    raise RuntimeError("leadflow exited early; see " + log.name)
                time.sleep(0.05)
        raise RuntimeError("leadflow did not become healthy")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def request(self, method, path, body=None, token=None, headers=None, raw=None):
        hdrs = {"Accept-Language": "en"}
        if token:
            hdrs["Authorization"] = "Bearer " + token
        data = None
        if raw is not None:
            data = raw
            hdrs["Content-Type"] = "application/json"
        elif body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        path = urllib.parse.quote(path, safe="/?&=%[]:+,-_.~")  # tests may write Chinese in URLs
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return Response(r.status, dict(r.headers), r.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as e:
            return Response(e.code, dict(e.headers), e.read().decode("utf-8", "replace"))

    def request_bytes(self, method, path, token=None):
        """The raw body of a binary download."""
        req = urllib.request.Request(self.base + path, method=method,
                                     headers={"Authorization": "Bearer " + token} if token else {})
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.read()

    def set_clock(self, rfc3339):
        r = self.request("POST", "/api/v1/_test/clock", {"now": rfc3339})
        assert r.status == 200, r

    def reset_clock(self):
        self.set_clock(datetime.datetime.now(datetime.timezone.utc).isoformat())

    def login(self, email, password=PASSWORD):
        r = self.request("POST", "/api/v1/auth/login", {"email": email, "password": password})
        assert r.status == 200, r
        return r.json["token"]


def new_tenant(db, name, email):
    """`leadflow init` with the password on stdin."""
    cli(db, "init", "--tenant", name, "--admin-email", email, stdin=PASSWORD + "\n")


class ApiTestCase(unittest.TestCase):
    """One fresh database and server per test class, with tenant A (admin) ready."""

    server_args = ()

    @classmethod
    def setUpClass(cls):
        cls.db = Database()
        cli(cls.db, "migrate")
        new_tenant(cls.db, "Tenant A", "admin@a.test")
        cls.server = Server(cls.db, cls.server_args).start()
        cls.token = cls.server.login("admin@a.test")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.db.cleanup()

    def api(self, method, path, body=None, token=None, **kw):
        return self.server.request(method, path, body, token or self.token, **kw)

    def assertProblem(self, r, status, code):
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.headers.get("Content-Type"), "application/problem+json", r)
        self.assertEqual(r.json["code"], code, r)
        self.assertEqual(r.json["status"], status)
        self.assertTrue(r.json["detail"])
