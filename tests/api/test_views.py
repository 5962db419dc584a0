"""Saved views of the lead pool: named list queries per user, checked when saved, shared with the
tenant only with views.share; applying one lists only what the viewer may read."""
from harness import ApiTestCase, PASSWORD


class SavedViewsTest(ApiTestCase):
    def test_views_are_checked_private_unless_shared_and_only_their_author_changes_them(self):
        self.api("POST", "/api/v1/users", {"email": "v1@a.test", "name": "v1", "password": PASSWORD, "role": "sales"})
        self.api("POST", "/api/v1/users", {"email": "v2@a.test", "name": "v2", "password": PASSWORD, "role": "sales"})
        v1, v2 = self.server.login("v1@a.test"), self.server.login("v2@a.test")
        r = self.api("POST", "/api/v1/views", {"entity": "leads", "name": "抖音红色", "query": "channel=douyin_form&color[in]=red&sort=-created_at"}, token=v1)
        self.assertEqual(r.status, 201, r)
        mine = r.json
        self.assertEqual((mine["shared"], mine["mine"]), (False, True))
        self.assertEqual([v["id"] for v in self.api("GET", "/api/v1/views?entity=leads", token=v1).json["items"]], [mine["id"]])
        self.assertEqual(self.api("GET", "/api/v1/views?entity=leads", token=v2).json["items"], [])
        # Checked as the author would list: unknown fields and operators are refused, nothing saved.
        for q in ("nope=1", "channel[zz]=1", "sort=-nope"):
            r = self.api("POST", "/api/v1/views", {"entity": "leads", "name": "坏", "query": q}, token=v1)
            self.assertIn(r.status, (400, 422), r)
            self.assertEqual(r.json["field"], "query", r)
        self.assertProblem(self.api("POST", "/api/v1/views", {"entity": "leads", "name": "x", "query": "", "colour": 1}, token=v1),
                           422, "validation.unknown_field")
        self.assertProblem(self.api("POST", "/api/v1/views", {"entity": "leads", "name": "共享", "query": "", "shared": True}, token=v1),
                           403, "access.forbidden")
        self.assertEqual(len(self.api("GET", "/api/v1/views?entity=leads", token=v1).json["items"]), 1)
        # The admin shares one; everybody sees it, only the admin changes it.
        shared = self.api("POST", "/api/v1/views", {"entity": "leads", "name": "本周新线索", "query": "stage=lead", "shared": True}).json
        self.assertIn(shared["id"], [v["id"] for v in self.api("GET", "/api/v1/views?entity=leads", token=v2).json["items"]])
        self.assertProblem(self.api("PATCH", f"/api/v1/views/{shared['id']}", {"name": "改"}, token=v2), 403, "access.forbidden")
        self.assertProblem(self.api("DELETE", f"/api/v1/views/{mine['id']}", token=v2), 404, "view.not_found")
        r = self.api("PATCH", f"/api/v1/views/{mine['id']}", {"name": "抖音红黄", "query": "color[in]=red,yellow"}, token=v1)
        self.assertEqual((r.status, r.json["name"], r.json["query"]), (200, "抖音红黄", "color[in]=red,yellow"), r)
        self.assertEqual(self.api("DELETE", f"/api/v1/views/{mine['id']}", token=v1).status, 200)
        self.assertEqual(self.api("GET", "/api/v1/views?entity=leads", token=v1).json["items"][0]["id"], shared["id"])
