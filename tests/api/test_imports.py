"""CSV imports: GBK detection, mapping by labels, dry run with per-row errors, dedup applied,
declared time zones, progress, an error report naming the row, and resumption after kill -9
without duplicated rows."""
import time
import unittest

from harness import PASSWORD, ApiTestCase, Server


def csv_bytes(rows, encoding="utf-8"):
    return ("\r\n".join(",".join(r) for r in rows) + "\r\n").encode(encoding)


class ImportTest(ApiTestCase):
    def upload(self, data, **params):
        q = "&".join(f"{k}={v}" for k, v in params.items())
        r = self.server.request("POST", f"/api/v1/imports?{q}", raw=data, token=self.token,
                                headers={"Content-Type": "text/csv"})
        self.assertEqual(r.status, 201, r)
        return r.json

    def wait_done(self, import_id, server=None, timeout=60):
        server = server or self.server
        deadline = time.time() + timeout
        while time.time() < deadline:
            r = server.request("GET", f"/api/v1/imports/{import_id}", token=self.token)
            if r.json["status"] == "done":
                return r.json
            time.sleep(0.05)
        self.fail("import did not finish")

    def test_a_file_over_a_mebibyte_uploads_with_a_content_length(self):
        # Browsers send uploads with a Content-Length; the 1 MiB limit of other bodies must not apply.
        rows = [["姓名", "手机号", "公司"]] + [[f"大文件{i}", f"1390{i:07d}", "杭州云帆科技有限公司" * 3]
                                               for i in range(40000)]
        data = csv_bytes(rows)
        self.assertGreater(len(data), 2 << 20)
        up = self.upload(data, entity="leads", filename="big.csv")
        self.assertEqual(up["row_count"], 40000)

    def test_a_ten_megabyte_cell_is_one_rows_clear_error(self):
        data = csv_bytes([["姓名", "公司"], ["正常", "A"], ["超长", "长" * ((10 << 20) // 3 + 1000)]])
        self.assertGreater(len(data), 10 << 20)
        up = self.upload(data, entity="leads")
        self.assertEqual(len(up["sample"][1][1]), 201)  # the preview is cut, not echoed whole
        mapping = {"mapping": {"姓名": "name", "公司": "company"}}
        dry = self.api("POST", f"/api/v1/imports/{up['id']}/dry-run", mapping).json
        self.assertEqual([(e["row"], e["code"]) for e in dry["errors"]], [(3, "validation.too_long")])
        self.api("POST", f"/api/v1/imports/{up['id']}/start", mapping)
        done = self.wait_done(up["id"])
        self.assertEqual((done["imported"], done["failed"]), (1, 1))

    def test_gbk_file_with_a_bad_row(self):
        rows = [["姓名", "手机号", "来源渠道", "首触动作", "公司"],
                ["张总", "13800001111", "抖音表单", "预约演示", "杭州云帆"],
                ["李总", "13800002222", "小红书私信", "加微信", "上海星辰"],
                ["王总", "不是电话", "官网咨询", "", ""],
                ["赵总", "13800003333", "百度推广", "填写报价单", "深圳蓝海"]]
        up = self.upload(csv_bytes(rows, "gbk"), entity="leads", filename="客户名单.csv")
        self.assertEqual(up["encoding"], "gbk")
        self.assertEqual(up["row_count"], 4)
        self.assertEqual(up["suggested_mapping"], {"姓名": "name", "手机号": "phone", "来源渠道": "channel",
                                                   "首触动作": "first_touch", "公司": "company"})
        mapping = {"mapping": up["suggested_mapping"]}
        dry = self.api("POST", f"/api/v1/imports/{up['id']}/dry-run", mapping).json
        self.assertEqual((dry["rows"], dry["valid"], dry["invalid"]), (4, 3, 1))
        self.assertEqual(dry["errors"][0]["row"], 4)  # spreadsheet row: header is row 1
        self.assertEqual(dry["errors"][0]["code"], "validation.bad_phone")
        self.assertEqual((dry["errors"][0]["column"], dry["errors"][0]["field"]), ("手机号", "phone"))
        self.assertEqual(self.api("GET", "/api/v1/leads?phone=13800001111&with_total=true").json["total"], 0)
        started = self.api("POST", f"/api/v1/imports/{up['id']}/start", mapping)
        self.assertEqual(started.status, 202, started)
        done = self.wait_done(up["id"])
        self.assertEqual((done["imported"], done["failed"], done["duplicates"]), (3, 1, 0))
        lead = self.api("GET", "/api/v1/leads?phone=13800001111").json["items"][0]
        self.assertEqual((lead["channel"], lead["first_touch"], lead["company"]), ("douyin_form", "book_demo", "杭州云帆"))
        errors = self.server.request("GET", f"/api/v1/imports/{up['id']}/errors", token=self.token,
                                     headers={"Accept-Language": "zh-CN"})
        self.assertIn("行号", errors.raw)
        self.assertIn("\r\n4,手机号,phone,", errors.raw)
        again = self.api("POST", f"/api/v1/imports/{up['id']}/start", mapping)
        self.assertProblem(again, 409, "import.already_started")

    def test_imported_leads_can_go_to_the_assignment_rules(self):
        rep = self.api("POST", "/api/v1/users", {"email": "imp-rep@a.test", "name": "抖音专员", "password": PASSWORD,
                                                 "role": "sales"}).json
        self.api("POST", "/api/v1/assignment-rules", {"name": "抖音导入", "strategy": "round_robin",
                                                      "conditions": [{"field": "channel", "op": "eq", "value": "douyin_form"}],
                                                      "members": [{"user_id": rep["id"]}]})
        rows = [["姓名", "手机号", "来源渠道"], ["分配甲", "13500135101", "抖音表单"], ["分配乙", "13500135102", "官网咨询"]]
        mapping = {"姓名": "name", "手机号": "phone", "来源渠道": "channel"}
        up = self.upload(csv_bytes(rows), entity="leads")
        self.assertProblem(self.api("POST", f"/api/v1/imports/{up['id']}/start", {"mapping": mapping, "distribute": "yes"}),
                           422, "validation.wrong_type")
        started = self.api("POST", f"/api/v1/imports/{up['id']}/start", {"mapping": mapping, "distribute": True})
        self.assertEqual((started.status, started.json["distribute"]), (202, True), started)
        self.assertEqual(self.wait_done(up["id"])["imported"], 2)
        owner = lambda phone: self.api("GET", f"/api/v1/leads?phone={phone}").json["items"][0]["owner_id"]
        self.assertEqual(owner("13500135101"), rep["id"])  # the rule took it
        self.assertIsNone(owner("13500135102"))           # no rule: not the importer's
        # Without the option the importer owns what the file does not give to someone.
        up = self.upload(csv_bytes([rows[0], ["归我", "13500135103", "抖音表单"]]), entity="leads")
        self.api("POST", f"/api/v1/imports/{up['id']}/start", {"mapping": mapping})
        self.wait_done(up["id"])
        me = self.api("GET", "/api/v1/me").json["user"]["id"]
        self.assertEqual(owner("13500135103"), me)

    def test_errors_name_the_spreadsheet_row_across_blank_and_multi_line_rows(self):
        data = ("姓名,手机号,公司\r\n"
                '"多行\r\n姓名",13600136001,A\r\n'   # row 2, two lines in the file
                "\r\n"                                # row 3, blank
                "坏号,12,B\r\n").encode()              # row 4
        up = self.upload(data, entity="leads")
        self.assertEqual(up["row_count"], 2)
        mapping = {"mapping": up["suggested_mapping"]}
        dry = self.api("POST", f"/api/v1/imports/{up['id']}/dry-run", mapping).json
        self.assertEqual([e["row"] for e in dry["errors"]], [4])
        self.api("POST", f"/api/v1/imports/{up['id']}/start", mapping)
        self.assertEqual(self.wait_done(up["id"])["failed"], 1)
        errors = self.server.request("GET", f"/api/v1/imports/{up['id']}/errors", token=self.token)
        self.assertIn("\r\n4,", errors.raw)

    def test_dedup_applies_and_times_need_a_declared_zone(self):
        self.api("POST", "/api/v1/schema/leads/fields", {"name": "visit_at", "label_zh": "拜访时间", "type": "datetime"})
        self.api("POST", "/api/v1/leads", {"name": "已存在", "phone": "13900009999"})
        rows = [["name", "phone", "拜访时间"], ["重复", "139 0000 9999", "2026-03-01 10:00"], ["新的", "13900008888", "2026/03/02 09:30:00"]]
        up = self.upload(csv_bytes(rows), entity="leads")
        self.assertEqual(up["encoding"], "utf-8")
        mapping = {"name": "name", "phone": "phone", "拜访时间": "visit_at"}
        dry = self.api("POST", f"/api/v1/imports/{up['id']}/dry-run", {"mapping": mapping}).json
        self.assertEqual(dry["invalid"], 2)
        self.assertEqual(dry["errors"][0]["code"], "import.timestamp_without_zone")
        self.assertEqual(dry["errors"][0]["column"], "拜访时间")
        self.api("POST", f"/api/v1/imports/{up['id']}/start", {"mapping": mapping, "time_zone": "Asia/Shanghai"})
        done = self.wait_done(up["id"])
        self.assertEqual((done["imported"], done["duplicates"], done["failed"]), (1, 1, 0))
        new = self.api("GET", "/api/v1/leads?phone=13900008888").json["items"][0]
        self.assertEqual(new["visit_at"], "2026-03-02T09:30:00+08:00")
        old = self.api("GET", "/api/v1/leads?phone=13900009999").json["items"][0]
        self.assertEqual(old["touch_count"], 2)

    def test_xlsx_upload_reads_the_first_sheet(self):
        import io, zipfile
        shared = ["姓名", "手机号", "来源渠道", "钱总", "知乎"]
        sst = "".join(f"<si><t>{x}</t></si>" for x in shared)
        sheet = ('<worksheet><sheetData>'
                 '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'
                 '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2"><v>13700007777</v></c><c r="C2" t="s"><v>4</v></c></row>'
                 '<row r="3"><c r="A3" t="inlineStr"><is><t>孙总</t></is></c><c r="C3" t="s"><v>4</v></c></row>'
                 '<row r="5"><c r="A5" t="inlineStr"><is><t>隔行</t></is></c><c r="B5"><v>12</v></c></row>'
                 '</sheetData></worksheet>')
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("xl/sharedStrings.xml", f'<sst count="{len(shared)}">{sst}</sst>')
            z.writestr("xl/worksheets/sheet1.xml", sheet)
        up = self.upload(buf.getvalue(), entity="leads", filename="名单.xlsx")
        self.assertEqual((up["encoding"], up["row_count"], up["columns"]), ("xlsx", 3, ["姓名", "手机号", "来源渠道"]))
        # Excel leaves the empty row 4 out of the sheet: the bad row is still named row 5.
        dry = self.api("POST", f"/api/v1/imports/{up['id']}/dry-run", {"mapping": up["suggested_mapping"]}).json
        self.assertEqual([(e["row"], e["field"]) for e in dry["errors"]], [(5, "phone")])
        self.api("POST", f"/api/v1/imports/{up['id']}/start", {"mapping": up["suggested_mapping"]})
        done = self.wait_done(up["id"])
        self.assertEqual((done["imported"], done["failed"]), (2, 1))
        lead = self.api("GET", "/api/v1/leads?phone=13700007777").json["items"][0]
        self.assertEqual((lead["name"], lead["channel"]), ("钱总", "zhihu"))
        bad = self.server.request("POST", "/api/v1/imports?entity=leads", raw=b"PK\x03\x04garbage", token=self.token)
        self.assertProblem(bad, 422, "import.bad_xlsx")

    def test_bad_uploads(self):
        r = self.server.request("POST", "/api/v1/imports?entity=nosuch", raw=b"a\n1\n", token=self.token)
        self.assertProblem(r, 404, "schema.unknown_entity")
        r = self.server.request("POST", "/api/v1/imports?entity=leads", raw=b"only,a,header\r\n", token=self.token)
        self.assertProblem(r, 422, "import.empty")
        r = self.server.request("POST", "/api/v1/imports?entity=leads", raw=b'a,"b\n1,2\n', token=self.token)
        self.assertProblem(r, 422, "import.bad_csv")
        up = self.upload(csv_bytes([["姓名"], ["x"]]), entity="leads")
        bad = self.api("POST", f"/api/v1/imports/{up['id']}/dry-run", {"mapping": {"姓名": "response_hours"}})
        self.assertProblem(bad, 422, "import.bad_mapping")
        bad = self.api("POST", f"/api/v1/imports/{up['id']}/dry-run", {"mapping": {"没有这列": "name"}})
        self.assertProblem(bad, 422, "import.bad_mapping")

    def test_a_row_failing_inside_the_write_is_skipped_alone(self):
        # A reference to a customer that does not exist passes conversion and fails only in the
        # write: the batch is redone row by row, so the rows around it land and it alone is reported.
        customer = self.api("POST", "/api/v1/customers", {"name": "真实客户"}).json["id"]
        missing = "0190f000-0000-7000-8000-000000000000"
        rows = [["姓名", "所属客户"]] + [[f"联系人{i}", missing if i == 3 else customer] for i in range(6)]
        up = self.upload(csv_bytes(rows), entity="contacts")
        self.api("POST", f"/api/v1/imports/{up['id']}/start", {"mapping": {"姓名": "name", "所属客户": "customer_id"}})
        done = self.wait_done(up["id"])
        self.assertEqual((done["imported"], done["failed"]), (5, 1))
        names = sorted(c["name"] for c in self.api("GET", f"/api/v1/contacts?customer_id={customer}").json["items"])
        self.assertEqual(names, [f"联系人{i}" for i in range(6) if i != 3])
        errors = self.server.request("GET", f"/api/v1/imports/{up['id']}/errors", token=self.token).raw
        self.assertIn("\r\n5,所属客户,customer_id,", errors)  # data row 3 is spreadsheet row 5
        self.assertEqual(int(self.db.scalar("SELECT COUNT(*) FROM events WHERE type = 'contact.created'")), 5)


class ImportCrashTest(ApiTestCase):
    def test_import_resumes_after_kill9_without_duplicating_rows(self):
        n = 20000
        rows = [["姓名", "手机号"]] + [[f"导入{i}", f"+86137{i:08d}"] for i in range(n)]
        r = self.server.request("POST", "/api/v1/imports?entity=leads", raw=csv_bytes(rows), token=self.token)
        self.assertEqual(r.status, 201, r)
        import_id = r.json["id"]
        self.api("POST", f"/api/v1/imports/{import_id}/start", {"mapping": {"姓名": "name", "手机号": "phone"}})
        deadline = time.time() + 60
        while time.time() < deadline:
            st = self.api("GET", f"/api/v1/imports/{import_id}").json
            if st["processed"] > 0:
                break
            time.sleep(0.01)
        self.server.kill9()
        self.assertLess(st["processed"], n, "the import finished before the kill; make it bigger")
        self.server = Server(self.db).start()
        type(self).server = self.server
        deadline = time.time() + 120
        while time.time() < deadline:
            st = self.api("GET", f"/api/v1/imports/{import_id}").json
            if st["status"] == "done":
                break
            time.sleep(0.05)
        self.assertEqual(st["status"], "done")
        self.assertEqual(st["imported"] + st["duplicates"], n)
        self.assertEqual(st["failed"], 0)
        counts = self.db.sql("SELECT phone, COUNT(*) FROM leads WHERE name LIKE '导入%' GROUP BY phone HAVING COUNT(*) > 1")
        self.assertEqual(counts, [])
        self.assertEqual(int(self.db.scalar("SELECT COUNT(*) FROM leads WHERE name LIKE '导入%'")), n)


if __name__ == "__main__":
    unittest.main()
