"""Export of filtered lists to CSV and XLSX: filters honoured, labels and values readable, formula
injection neutralised, exports audited."""
import csv
import io
import unittest
import zipfile

from harness import ApiTestCase


class ExportTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for body in ({"name": "=HYPERLINK(\"http://evil\")", "channel": "zhihu", "company": "+cmd|' /C calc'!A0"},
                     {"name": "@SUM(1,2)", "channel": "zhihu", "tags": ["重点", "预算明确"]},
                     {"name": "普通线索", "channel": "website", "phone": "13800138000"},
                     {"name": "-1+1", "channel": "zhihu"}):
            cls.server.request("POST", "/api/v1/leads", body, token=cls.token)
        cls.server.request("POST", "/api/v1/opportunities", {"name": "大单", "amount": 123456789}, token=cls.token)

    def test_csv_honours_filters_and_neutralises_formulas(self):
        r = self.server.request("GET", "/api/v1/exports?entity=leads&format=csv&channel=zhihu&sort=name",
                                token=self.token, headers={"Accept-Language": "zh-CN"})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers["Content-Type"].startswith("text/csv"))
        self.assertIn("filename*=UTF-8''", r.headers["Content-Disposition"])
        self.assertTrue(r.raw.startswith("\ufeff"))
        rows = list(csv.reader(io.StringIO(r.raw.lstrip("\ufeff"))))
        header, body = rows[0], rows[1:]
        self.assertIn("来源渠道", header)
        self.assertEqual(len(body), 3)
        name_col, channel_col, company_col = header.index("姓名"), header.index("来源渠道"), header.index("公司")
        names = sorted(row[name_col] for row in body)
        self.assertEqual(names, ["'-1+1", "'=HYPERLINK(\"http://evil\")", "'@SUM(1,2)"])
        self.assertEqual({row[channel_col] for row in body}, {"知乎"})
        self.assertIn("'+cmd|' /C calc'!A0", [row[company_col] for row in body])
        self.assertEqual(r.headers["X-Export-Rows"], "3")

    def test_a_waiting_lead_exports_its_response_time_so_far(self):
        # 响应时效 is never typed: a lead still waiting for its first follow-up shows its age so far,
        # in the export as in the API.
        self.server.set_clock("2026-03-02T09:00:00+08:00")
        try:
            self.api("POST", "/api/v1/leads", {"name": "等待中", "channel": "baidu_ads"})
            self.server.set_clock("2026-03-02T12:30:00+08:00")
            api_value = self.api("GET", "/api/v1/leads?name=等待中").json["items"][0]["response_hours"]
            r = self.server.request("GET", "/api/v1/exports?entity=leads&format=csv&name=等待中", token=self.token,
                                    headers={"Accept-Language": "zh-CN"})
        finally:
            self.server.reset_clock()
        rows = list(csv.reader(io.StringIO(r.raw.lstrip("\ufeff"))))
        self.assertEqual(api_value, 3.5)
        self.assertEqual(rows[1][rows[0].index("响应时效(小时)")], "3.5")

    def test_money_and_english_labels(self):
        r = self.api("GET", "/api/v1/exports?entity=opportunities&format=csv")
        rows = list(csv.reader(io.StringIO(r.raw.lstrip("\ufeff"))))
        amount = rows[0].index("Amount (CNY)")
        self.assertEqual(rows[1][amount], "1234567.89")

    def test_xlsx_is_a_real_workbook(self):
        r = self.server.request("GET", "/api/v1/exports?entity=leads&format=xlsx&channel=website", token=self.token)
        self.assertEqual(r.status, 200)
        raw = self.server.request_bytes("GET", "/api/v1/exports?entity=leads&format=xlsx&channel=website", token=self.token)
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            shared = z.read("xl/sharedStrings.xml").decode()
        self.assertIn("普通线索", shared)
        self.assertNotIn("HYPERLINK", shared)
        # A phone is a plain signed number, not a formula: no apostrophe in front of it.
        self.assertIn(">+8613800138000<", shared)

    def test_exports_are_audited_and_bad_requests_refused(self):
        self.api("GET", "/api/v1/exports?entity=leads&format=csv&channel=zhihu")
        n = int(self.db.scalar("SELECT COUNT(*) FROM events WHERE type = 'lead.exported'"))
        self.assertGreaterEqual(n, 1)
        self.assertProblem(self.api("GET", "/api/v1/exports?entity=leads&format=pdf"), 400, "export.bad_format")
        self.assertProblem(self.api("GET", "/api/v1/exports?entity=leads&nosuch=1"), 400, "query.unknown_field")


if __name__ == "__main__":
    unittest.main()
