"""Sign-in, sessions (Bearer and cookie), sign-out, throttling, permissions."""
import unittest

from harness import ApiTestCase, PASSWORD


class AuthTest(ApiTestCase):
    def test_login_returns_token_user_and_httponly_cookie(self):
        r = self.server.request("POST", "/api/v1/auth/login", {"email": "ADMIN@a.test", "password": PASSWORD})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["user"]["email"], "admin@a.test")
        self.assertEqual(r.json["user"]["role"], "admin")
        self.assertGreater(len(r.json["token"]), 30)
        cookie = r.headers["Set-Cookie"]
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Lax", cookie)
        self.assertTrue(r.json["expires_at"].endswith("+08:00"))

    def test_wrong_password_and_unknown_user_look_the_same(self):
        a = self.server.request("POST", "/api/v1/auth/login", {"email": "admin@a.test", "password": "nope-nope"})
        b = self.server.request("POST", "/api/v1/auth/login", {"email": "ghost@a.test", "password": "nope-nope"})
        self.assertProblem(a, 401, "auth.invalid_credentials")
        self.assertProblem(b, 401, "auth.invalid_credentials")

    def test_requests_without_session_are_refused(self):
        r = self.server.request("GET", "/api/v1/leads")
        self.assertProblem(r, 401, "auth.unauthenticated")
        r = self.server.request("GET", "/api/v1/leads", token="forged-token")
        self.assertProblem(r, 401, "auth.unauthenticated")

    def test_cookie_session_works_and_logout_revokes(self):
        token = self.server.login("admin@a.test")
        r = self.server.request("GET", "/api/v1/me", headers={"Cookie": "lf_session=" + token})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["tenant"]["time_zone"], "Asia/Shanghai")
        r = self.server.request("POST", "/api/v1/auth/logout", token=token)
        self.assertEqual(r.status, 204)
        r = self.server.request("GET", "/api/v1/me", token=token)
        self.assertProblem(r, 401, "auth.unauthenticated")

    def test_cross_site_cookie_write_is_refused(self):
        token = self.server.login("admin@a.test")
        r = self.server.request("POST", "/api/v1/leads", {"name": "x"},
                                headers={"Cookie": "lf_session=" + token, "Origin": "https://evil.example"})
        self.assertProblem(r, 403, "auth.cross_site")

    def test_login_is_throttled_after_five_failures(self):
        self.api("POST", "/api/v1/users", {"email": "victim@a.test", "name": "V", "password": PASSWORD, "role": "sales"})
        for _ in range(5):
            r = self.server.request("POST", "/api/v1/auth/login", {"email": "victim@a.test", "password": "wrong-pass"})
            self.assertEqual(r.status, 401)
        r = self.server.request("POST", "/api/v1/auth/login", {"email": "victim@a.test", "password": PASSWORD})
        self.assertProblem(r, 429, "auth.throttled")
        self.assertEqual(r.headers.get("Retry-After"), "900")

    def test_sales_user_cannot_manage_users_or_schema(self):
        r = self.api("POST", "/api/v1/users", {"email": "s1@a.test", "name": "销售一", "password": PASSWORD, "role": "sales"})
        self.assertEqual(r.status, 201, r)
        sales = self.server.login("s1@a.test")
        r = self.api("POST", "/api/v1/users", {"email": "s2@a.test", "name": "x", "password": PASSWORD}, token=sales)
        self.assertProblem(r, 403, "access.forbidden")
        r = self.api("POST", "/api/v1/schema/leads/fields", {"name": "esg", "label_zh": "ESG", "type": "number"}, token=sales)
        self.assertProblem(r, 403, "access.forbidden")

    def test_departments_form_a_tree(self):
        root = self.api("GET", "/api/v1/departments").json["items"][0]
        r = self.api("POST", "/api/v1/departments", {"name": "销售部", "parent_id": root["id"]})
        self.assertEqual(r.status, 201, r)
        child = self.api("POST", "/api/v1/departments", {"name": "华东组", "parent_id": r.json["id"]}).json
        self.assertTrue(child["path"].startswith(r.json["path"]))
        r = self.api("POST", "/api/v1/departments", {"name": "x", "parent_id": "00000000-0000-7000-8000-000000000000"})
        self.assertProblem(r, 422, "validation.invalid_value")


if __name__ == "__main__":
    unittest.main()
