#!/usr/bin/env python3
"""Timer lateness (issue 4): p99 of (fired − due) for `after` timers, with 100,000 other timers
pending. Two rules on lead.created: "远期" leads start a 1-day timer (the backlog), "近期" leads a
1-minute one (measured). 近期 leads arrive at 50/s for 30 s, first with no backlog (the in-run
baseline), then again after 100,000 远期 leads have put 100,000 timers in the table. Lateness is read
from the timers' own due_at / fired_at (fired_at is taken inside the write that runs the action).

Usage: bench/timer_lateness.py BUILD/leadflow [--backlog 100000]
"""
import argparse
import asyncio
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from notify_e2e import api, free_port, open_loop, start_server  # noqa: E402


def lateness(db_path, rule_id, prefix):
    con = sqlite3.connect(db_path, timeout=30)
    rows = con.execute("SELECT t.state, t.fired_at - t.due_at FROM rule_timers t JOIN leads l ON l.id = t.record_id "
                       "WHERE t.rule_id = ? AND l.name LIKE ?", (rule_id, prefix + "%")).fetchall()
    con.close()
    fired = sorted(x for s, x in rows if s == "fired")
    pick = lambda p: fired[min(len(fired) - 1, int(p / 100 * len(fired)))] if fired else float("nan")
    return {"timers": len(rows), "fired": len(fired), "p50": pick(50), "p99": pick(99), "max": fired[-1] if fired else 0}


def scalar(db_path, sql, *args):
    con = sqlite3.connect(db_path, timeout=30)
    v = con.execute(sql, args).fetchone()[0]
    con.close()
    return v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--backlog", type=int, default=100000)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="lf-timer-bench-")
    db_path = f"{work}/bench.db"
    port = free_port()
    server, base, tok = start_server(args.bin, work, port)
    try:
        rule = lambda name, delay, company: api(base, "POST", "/api/v1/rules", {
            "name": name, "trigger": {"after": {"event": "lead.created", "delay": delay}},
            "condition": f'lead.company == "{company}"',
            "actions": [{"type": "add_tags", "tags": ["到期"]}]}, tok)["id"]
        near = rule("近期 1 分钟", "1m", "近期")
        far = rule("远期 1 天", "1d", "远期")
        auth = f"Authorization: Bearer {tok}\r\n"
        near_leads = lambda tag: [(f"{tag}{i}", json.dumps({"name": f"{tag}{i}", "company": "近期"})) for i in range(1500)]

        asyncio.run(open_loop(port, "/api/v1/leads", auth, near_leads("基线"), 50))
        t_backlog = time.time()
        far_leads = [(f"远{i}", json.dumps({"name": f"远{i}", "company": "远期"})) for i in range(args.backlog)]
        asyncio.run(open_loop(port, "/api/v1/leads", auth, far_leads, 4000))
        while scalar(db_path, "SELECT COUNT(*) FROM rule_timers WHERE rule_id = ? AND state = 'pending'", far) < args.backlog:
            time.sleep(0.5)
        backlog_s = time.time() - t_backlog
        asyncio.run(open_loop(port, "/api/v1/leads", auth, near_leads("负载"), 50))
        pending_during = scalar(db_path, "SELECT COUNT(*) FROM rule_timers WHERE state = 'pending'")
        deadline = time.time() + 180
        while time.time() < deadline and scalar(db_path, "SELECT COUNT(*) FROM rule_timers WHERE rule_id = ? AND state = 'pending'", near):
            time.sleep(1)
        base_l = lateness(db_path, near, "基线")
        load_l = lateness(db_path, near, "负载")
    finally:
        server.terminate()
        server.wait()
    shutil.rmtree(work, ignore_errors=True)
    print(f"# Timer lateness, fired − due ({time.strftime('%F')}, {os.cpu_count()} cores, SQLite; 1,500 one-minute "
          f"timers started at 50/s per row)")
    print("| timers pending meanwhile | timers | fired | p50 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|")
    print(f"| none (baseline, same run) | {base_l['timers']} | {base_l['fired']} | {base_l['p50']:.0f} | {base_l['p99']:.0f} | {base_l['max']:.0f} |")
    print(f"| {pending_during:,} (one-day timers) | {load_l['timers']} | {load_l['fired']} | {load_l['p50']:.0f} | {load_l['p99']:.0f} | {load_l['max']:.0f} |")
    print(f"\nbacklog of {args.backlog:,} leads → {args.backlog:,} pending timers built in {backlog_s:.0f} s; aim: p99 < 1,000 ms")


if __name__ == "__main__":
    main()
