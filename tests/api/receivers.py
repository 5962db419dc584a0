"""Real peers for outbound notifications: an HTTP receiver that checks DingTalk robot signatures
(timestamp + "\\n" + secret, HMAC-SHA256, base64, URL-encoded — as DingTalk documents) and WeCom
robot keys and LeadFlow webhook signatures, and an SMTP server (Debian's aiosmtpd). Each records
what it accepted; a path can be told to fail: answer 500, hang, close the socket, redirect."""
import base64
import email
import email.policy
import hashlib
import hmac
import http.server
import json
import socket
import threading
import time
import urllib.parse

from aiosmtpd.controller import Controller


def dingtalk_sign(secret, timestamp):
    mac = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


class Receiver:
    """HTTP receiver on 127.0.0.1. Paths: /dingtalk/<name>, /wecom/<name>, /hook/<name>.
    `robots[name]` = {"token"|"key"|"secret": …}; `behaviour[name]` = "ok" | "500" | "hang" | "close" |
    "errcode" | ("redirect", url)."""

    def __init__(self):
        self.robots, self.behaviour = {}, {}
        self.received, self.rejected = [], []
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                outer.handle(self)

        class Server(http.server.ThreadingHTTPServer):
            request_queue_size = 256  # the deliverer opens many connections at once

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()

    def _answer(self, h, status, body):
        data = json.dumps(body).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def handle(self, h):
        url = urllib.parse.urlsplit(h.path)
        parts = url.path.strip("/").split("/")
        query = dict(urllib.parse.parse_qsl(url.query))
        body = h.rfile.read(int(h.headers.get("Content-Length", 0)))
        kind, name = (parts + ["", ""])[:2]
        mode = self.behaviour.get(name, "ok")
        if mode == "hang":
            time.sleep(30)
            return
        if mode == "close":
            h.close_connection = True
            h.connection.close()
            return
        if isinstance(mode, tuple) and mode[0] == "redirect":
            h.send_response(307)
            h.send_header("Location", mode[1])
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        if mode == "500":
            return self._answer(h, 500, {"error": "boom"})
        robot = self.robots.get(name, {})
        why = None
        if kind == "dingtalk":
            ts = query.get("timestamp", "0")
            if query.get("access_token") != robot.get("token"):
                why = "bad access_token"
            elif abs(int(ts) - time.time() * 1000) > 3600 * 1000:
                why = "timestamp too far from now"
            elif query.get("sign") != dingtalk_sign(robot["secret"], ts):
                why = "bad sign"
        elif kind == "wecom":
            if query.get("key") != robot.get("key"):
                why = "bad key"
        elif kind == "hook":
            ts = h.headers.get("X-LeadFlow-Timestamp", "")
            want = "sha256=" + hmac.new(robot.get("secret", "").encode(), ts.encode() + b"." + body,
                                        hashlib.sha256).hexdigest()
            if robot.get("secret") and h.headers.get("X-LeadFlow-Signature") != want:
                why = "bad signature"
        else:
            why = "unknown path"
        with self.lock:
            if why:
                self.rejected.append((name, why))
            else:
                self.received.append({"kind": kind, "name": name, "body": json.loads(body), "headers": dict(h.headers),
                                      "at": time.time()})
            self.arrived.notify_all()
        if why:
            # What DingTalk answers to a bad signature: HTTP 200 with a non-zero errcode.
            return self._answer(h, 200, {"errcode": 310000, "errmsg": why})
        if mode == "errcode":
            return self._answer(h, 200, {"errcode": 130101, "errmsg": "send too fast"})
        self._answer(h, 200, {"errcode": 0, "errmsg": "ok"})

    def wait_for(self, pred, timeout=15):
        deadline = time.time() + timeout
        with self.lock:
            while True:
                got = [m for m in self.received if pred(m)]
                if got:
                    return got
                left = deadline - time.time()
                if left <= 0:
                    raise AssertionError(f"nothing matching arrived; received={self.received!r} "
                                         f"rejected={self.rejected!r}")
                self.arrived.wait(left)


class Mailbox:
    """An SMTP server (aiosmtpd) on 127.0.0.1 keeping every message it accepts."""

    def __init__(self):
        self.messages = []
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
                outer.messages.append({"from": envelope.mail_from, "to": envelope.rcpt_tos, "message": msg})
                return "250 OK"

        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def wait_for(self, pred, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            got = [m for m in self.messages if pred(m)]
            if got:
                return got
            time.sleep(0.05)
        raise AssertionError(f"no matching mail; got {self.messages!r}")
