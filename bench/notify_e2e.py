#!/usr/bin/env python3
"""End-to-end notification latency (issue 4): a lead POSTed over HTTP → the three-colour funnel
turns it red → a signed DingTalk-format message arrives at a local receiver. Open loop at a fixed
rate (default 1,000 leads/s): each lead is sent at its scheduled instant whatever the server does,
and its latency is (message received at the robot) − (POST started). The receiver runs in its own
process and checks every signature as DingTalk does.

Printed next to it, measured in the same run at the same rate: the floor of this machine's client
and receiver — the same POST sent straight to the receiver (no LeadFlow in between).

Usage: bench/notify_e2e.py BUILD/leadflow [--rate 1000] [--seconds 10]
"""
import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import multiprocessing as mp
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

PASS = "bench-password-1"
SECRET = "SECbench0123456789"
TOKEN = "bench-token"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


# ---- the robot: a minimal HTTP/1.1 keep-alive server in its own process --------------------------

def robot(port, ready, out, stop):
    arrivals, bad = {}, [0]

    async def handle(reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode().split("\r\n")
                target = lines[0].split(" ")[1]
                length = next(int(l.split(":")[1]) for l in lines if l.lower().startswith("content-length"))
                body = await reader.readexactly(length)
                now = time.time()
                q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(target).query))
                msg = json.loads(body)
                ok = True
                if "timestamp" in q or "access_token" in q:  # a DingTalk robot call: check it
                    mac = hmac.new(SECRET.encode(), f"{q.get('timestamp')}\n{SECRET}".encode(), hashlib.sha256).digest()
                    ok = q.get("access_token") == TOKEN and q.get("sign") == base64.b64encode(mac).decode()
                key = msg.get("markdown", {}).get("title", "") or msg.get("key", "")
                if ok:
                    arrivals.setdefault(key, now)
                else:
                    bad[0] += 1
                answer = json.dumps({"errcode": 0 if ok else 310000, "errmsg": "ok" if ok else "sign"}).encode()
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                             str(len(answer)).encode() + b"\r\n\r\n" + answer)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main():
        server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.05)
        server.close()
        out.put((arrivals, bad[0]))

    asyncio.run(main())


# ---- the sender: open loop over a pool of keep-alive connections ---------------------------------

async def open_loop(port, path, headers, bodies, rate):
    """Sends bodies[i] at t0 + i/rate; returns {key: send start}, the number sent late (> 5 ms) and errors."""
    pool = asyncio.Queue()
    for _ in range(48):
        pool.put_nowait(await asyncio.open_connection("127.0.0.1", port))
    sent, late, errors = {}, [0], [0]

    async def one(key, body):
        reader, writer = await pool.get()
        sent[key] = time.time()
        data = body.encode()
        writer.write((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      f"Content-Length: {len(data)}\r\n{headers}\r\n").encode() + data)
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ")[1])
        length = next(int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length"))
        await reader.readexactly(length)
        if status >= 300:
            errors[0] += 1
        pool.put_nowait((reader, writer))

    tasks = []
    t0 = time.perf_counter() + 0.2
    for i, (key, body) in enumerate(bodies):
        due = t0 + i / rate
        wait = due - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
        elif wait < -0.005:
            late[0] += 1
        tasks.append(asyncio.create_task(one(key, body)))
    await asyncio.gather(*tasks)
    return sent, late[0], errors[0]


def percentiles(sent, arrivals):
    lat = sorted((arrivals[k] - sent[k]) * 1000 for k in sent if k in arrivals)
    if not lat:
        return None
    pick = lambda p: lat[min(len(lat) - 1, int(p / 100 * len(lat)))]
    return {"n": len(lat), "missing": len(sent) - len(lat), "p50": pick(50), "p90": pick(90), "p99": pick(99),
            "max": lat[-1]}


def api(base, method, path, body=None, token=None):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json",
                                          **({"Authorization": "Bearer " + token} if token else {})})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"null")


def start_server(binary, work, port):
    """A fresh SQLite database with one tenant, served on `port`; returns (process, base URL, token)."""
    db = f"sqlite:{work}/bench.db"
    subprocess.run([binary, "init", "--db", db, "--tenant", "Bench", "--admin-email", "bench@bench.test"],
                   input=PASS + "\n", text=True, check=True, capture_output=True)
    log = open(f"{work}/server.log", "w")
    server = subprocess.Popen([binary, "serve", "--db", db, "--port", str(port)], stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/livez", timeout=1)
            break
        except Exception:
            time.sleep(0.1)
    tok = api(base, "POST", "/api/v1/auth/login", {"email": "bench@bench.test", "password": PASS})["token"]
    return server, base, tok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--rate", type=float, default=1000)
    ap.add_argument("--seconds", type=float, default=10)
    args = ap.parse_args()
    n = int(args.rate * args.seconds)
    work = tempfile.mkdtemp(prefix="lf-notify-bench-")
    robot_port, port = free_port(), free_port()
    ready, stop, out = mp.Event(), mp.Event(), mp.Queue()
    rp = mp.Process(target=robot, args=(robot_port, ready, out, stop), daemon=True)
    rp.start()
    ready.wait(10)
    server, base, tok = start_server(args.bin, work, port)
    try:
        api(base, "PUT", "/api/v1/settings/outbound", {"allow": ["127.0.0.1"]}, tok)
        api(base, "POST", "/api/v1/notification-channels", {"kind": "dingtalk", "name": "销售群", "is_default": True, "config": {
            "url": f"http://127.0.0.1:{robot_port}/robot/send?access_token={TOKEN}", "secret": SECRET}}, tok)
        api(base, "POST", "/api/v1/rule-templates/three_color_funnel/install", {}, tok)

        # Floor: the same client and robot, no LeadFlow in between.
        floor_bodies = [(f"floor-{i}", json.dumps({"msgtype": "markdown", "markdown": {"title": f"floor-{i}", "text": "x" * 300}}))
                        for i in range(n)]
        floor_sent, floor_late, _ = asyncio.run(open_loop(robot_port, "/floor", "", floor_bodies, args.rate))
        # LeadFlow: red leads (Douyin form + book demo) whose DingTalk message the robot times.
        bodies = [(f"红色高意向线索:压测{i}", json.dumps({"name": f"压测{i}", "channel": "douyin_form",
                                                            "first_touch": "book_demo", "company": "压测公司"}))
                  for i in range(n)]
        sent, late, errors = asyncio.run(open_loop(port, "/api/v1/leads", f"Authorization: Bearer {tok}\r\n", bodies, args.rate))
        time.sleep(5)  # stragglers
        delivered = api(base, "GET", "/api/v1/deliveries?status=delivered&limit=1", None, tok)
        stop.set()
        arrivals, bad = out.get(timeout=30)
    finally:
        server.terminate()
        server.wait()
        rp.join(5)
        shutil.rmtree(work, ignore_errors=True)
    floor = percentiles(floor_sent, arrivals)
    ours = percentiles(sent, arrivals)
    print(f"# Lead → DingTalk robot, end to end ({time.strftime('%F')}, {os.cpu_count()} cores, SQLite, "
          f"{args.rate:.0f} leads/s open loop for {args.seconds:.0f} s = {n} leads)")
    print("| path | messages | missing | p50 ms | p90 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|---|")
    for name, r in (("client → robot directly (floor, same run)", floor), ("POST /api/v1/leads → rule → signed DingTalk message", ours)):
        print(f"| {name} | {r['n']} | {r['missing']} | {r['p50']:.1f} | {r['p90']:.1f} | {r['p99']:.1f} | {r['max']:.1f} |")
    print(f"\nrequests sent > 5 ms late by the client: floor {floor_late}, LeadFlow {late}; non-2xx: {errors}; "
          f"bad signatures: {bad}; a delivered message in the log: {bool(delivered['items'])}")


if __name__ == "__main__":
    main()
