"""Policy change → effective on a second instance (issue 5 P6): two `leadflow serve` on one
PostgreSQL database; a salesperson polls a colleague's lead on instance B while the admin widens
(then narrows) the sales role's lead scope on instance A. Latency = first answer on B that reflects
the change − the moment A acknowledged the change.

Usage: policy_latency.py URL_A URL_B ADMIN_TOKEN SALES_TOKEN LEAD_ID [rounds]
Prints: "p50_ms max_ms rounds"."""
import json
import sys
import time
import urllib.error
import urllib.request


def call(base, method, path, token, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, None


def main():
    a, b, admin, sales, lead = sys.argv[1:6]
    rounds = int(sys.argv[6]) if len(sys.argv) > 6 else 10
    roles = {r["name"]: r for r in call(a, "GET", "/api/v1/roles", admin)[1]["items"]}
    narrow = roles["sales"]["entity_access"]
    wide = dict(narrow, leads=dict(narrow["leads"], scope="all"))
    lat = []
    for i in range(rounds):
        for access, expect in ((wide, 200), (narrow, 404)):
            st, _ = call(a, "PATCH", "/api/v1/roles/sales", admin, {"entity_access": access})
            assert st == 200, st
            acked = time.perf_counter()
            while True:
                st, _ = call(b, "GET", f"/api/v1/leads/{lead}", sales)
                if st == expect:
                    lat.append((time.perf_counter() - acked) * 1000)
                    break
                if time.perf_counter() - acked > 10:
                    raise SystemExit("the change did not reach instance B within 10 s")
    lat.sort()
    print(f"{lat[len(lat) // 2]:.2f} {lat[-1]:.2f} {len(lat)}")


if __name__ == "__main__":
    main()
