"""Lead cleaning counts calendar days in the tenant's zone, previews, records runs and undoes them.
Named for the incident in the seeds: a CRM wiped 2,176 leads because an import script wrote UTC,
the server ran in UTC+8 and the rule counted 720 hours."""
import unittest

from harness import ApiTestCase, PASSWORD


class ClockedTestCase(ApiTestCase):
    def at(self, when):
        self.server.set_clock(when)
        return self.server.login("admin@a.test")

    def tearDown(self):
        self.server.reset_clock()


class LeadCleaningIncidentTest(ClockedTestCase):
    """A database of its own: the rule runs over every lead, as it did in the incident."""

    def test_import_in_utc_does_not_wipe_leads(self):
        # The import script writes leads at 2026-02-22 00:15:03Z (08:15:03 in Shanghai) ...
        token = self.at("2026-02-22T00:15:03Z")
        for i in range(5):
            self.api("POST", "/api/v1/leads", {"name": f"导入{i}", "channel": "website"}, token=token)
        # ... and a cleaning rule "older than 30 days" runs at 08:15 local the same day.
        token = self.at("2026-02-22T08:15:00+08:00")
        preview = self.api("POST", "/api/v1/lead-cleaning/preview", {"older_than_days": 30}, token=token)
        self.assertEqual(preview.status, 200, preview)
        self.assertEqual(preview.json["cutoff"], "2026-01-23T00:00:00+08:00")
        self.assertEqual(preview.json["time_zone"], "Asia/Shanghai")
        run = self.api("POST", "/api/v1/lead-cleaning/runs", {"older_than_days": 30}, token=token)
        self.assertEqual(run.status, 201, run)
        self.assertEqual(run.json["archived"], 0)
        names = [x["name"] for x in self.api("GET", "/api/v1/leads?name[contains]=导入", token=token).json["items"]]
        self.assertEqual(len(names), 5)


class LeadCleaningTest(ClockedTestCase):
    def test_calendar_day_boundary_preview_run_and_undo(self):
        # Created at 23:59 local on 2026-01-22 (15:59Z) and at 00:00 local on 2026-01-23 (16:00Z on the 22nd).
        token = self.at("2026-01-22T23:59:00+08:00")
        old = self.api("POST", "/api/v1/leads", {"name": "边界-旧", "channel": "zhihu"}, token=token).json
        token = self.at("2026-01-23T00:00:00+08:00")
        new = self.api("POST", "/api/v1/leads", {"name": "边界-新", "channel": "zhihu"}, token=token).json
        self.api("POST", "/api/v1/leads", {"name": "边界-旧渠道外", "channel": "website"},
                 token=self.at("2026-01-01T12:00:00+08:00"))
        token = self.at("2026-02-22T01:00:00+08:00")  # 30 local days after the 23rd began
        body = {"older_than_days": 30, "filters": {"channel": "zhihu", "name[contains]": "边界"}}
        preview = self.api("POST", "/api/v1/lead-cleaning/preview", body, token=token).json
        self.assertEqual(preview["count"], 1)
        self.assertEqual([s["id"] for s in preview["sample"]], [old["id"]])
        stale = self.api("POST", "/api/v1/lead-cleaning/runs", dict(body, expected_count=2), token=token)
        self.assertProblem(stale, 409, "cleaning.count_changed")
        self.assertIsNone(self.api("GET", f"/api/v1/leads/{old['id']}", token=token).json["archived_at"])
        run = self.api("POST", "/api/v1/lead-cleaning/runs", dict(body, expected_count=1), token=token).json
        self.assertEqual(run["archived"], 1)
        self.assertIsNotNone(self.api("GET", f"/api/v1/leads/{old['id']}", token=token).json["archived_at"])
        self.assertIsNone(self.api("GET", f"/api/v1/leads/{new['id']}", token=token).json["archived_at"])
        hist = self.api("GET", f"/api/v1/leads/{old['id']}/history", token=token).json["items"]
        self.assertEqual(hist[-1]["type"], "lead.archived")
        undo = self.api("POST", f"/api/v1/lead-cleaning/runs/{run['id']}/undo", token=token)
        self.assertEqual(undo.status, 200, undo)
        self.assertEqual(undo.json["restored"], 1)
        self.assertIsNone(self.api("GET", f"/api/v1/leads/{old['id']}", token=token).json["archived_at"])
        again = self.api("POST", f"/api/v1/lead-cleaning/runs/{run['id']}/undo", token=token)
        self.assertProblem(again, 409, "cleaning.already_undone")
        runs = self.api("GET", "/api/v1/lead-cleaning/runs", token=token).json["items"]
        self.assertIn(run["id"], [r["id"] for r in runs])

    def test_bad_requests_and_permissions(self):
        self.assertProblem(self.api("POST", "/api/v1/lead-cleaning/preview", {"older_than_days": 0}),
                           422, "validation.out_of_range")
        self.assertProblem(self.api("POST", "/api/v1/lead-cleaning/preview", {"older_than_days": "30"}),
                           422, "validation.out_of_range")
        self.assertProblem(self.api("POST", "/api/v1/lead-cleaning/preview",
                                    {"older_than_days": 30, "filters": {"nosuch": "x"}}),
                           400, "query.unknown_field")
        self.assertProblem(self.api("POST", "/api/v1/lead-cleaning/preview", {"older_than_days": 30, "hours": 720}),
                           422, "validation.unknown_field")
        self.api("POST", "/api/v1/users", {"email": "c@a.test", "name": "销售", "password": PASSWORD, "role": "sales"})
        sales = self.server.login("c@a.test")
        self.assertProblem(self.api("POST", "/api/v1/lead-cleaning/runs", {"older_than_days": 30}, token=sales),
                           403, "access.forbidden")


if __name__ == "__main__":
    unittest.main()
