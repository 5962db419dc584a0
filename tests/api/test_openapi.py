"""The OpenAPI document is true: every documented operation exists, and real responses carry
exactly the properties their schemas promise, with the declared types."""
import re
import unittest

from harness import ApiTestCase

TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list, "object": dict}


class OpenApiTest(ApiTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.doc = cls.server.request("GET", "/api/openapi.json").json

    def resolve(self, schema):
        if "$ref" in schema:
            return self.doc["components"]["schemas"][schema["$ref"].split("/")[-1]]
        return schema

    def conforms(self, value, schema, where):
        schema = self.resolve(schema)
        types = schema.get("type")
        if types is not None:
            types = types if isinstance(types, list) else [types]
            ok = any((value is None) if t == "null" else (isinstance(value, TYPES[t]) and not (t in ("integer", "number") and isinstance(value, bool))) for t in types)
            self.assertTrue(ok, f"{where}: {value!r} is not {types}")
        if "enum" in schema:
            self.assertIn(value, schema["enum"], where)
        if isinstance(value, dict) and "properties" in schema:
            for req in schema.get("required", []):
                self.assertIn(req, value, f"{where}: missing required '{req}'")
            for k, v in value.items():
                if k in schema["properties"]:
                    self.conforms(v, schema["properties"][k], f"{where}.{k}")
                else:
                    self.assertTrue(schema.get("additionalProperties", True), f"{where}: undocumented property '{k}'")
        if isinstance(value, list) and "items" in schema:
            for i, v in enumerate(value):
                self.conforms(v, schema["items"], f"{where}[{i}]")

    def test_every_documented_operation_is_routed(self):
        rec = self.api("POST", "/api/v1/leads", {"name": "x"}).json
        for path, ops in self.doc["paths"].items():
            concrete = re.sub(r"\{id\}", rec["id"], path).replace("{entity}", "leads")
            for method in ops:
                if path == "/api/v1/stream" or path.endswith("/logout"):
                    continue
                r = self.api(method.upper(), concrete, {} if method in ("post", "patch") else None)
                self.assertNotIn(r.json.get("code") if isinstance(r.json, dict) else None,
                                 ("route.not_found", "route.method_not_allowed"), f"{method} {path}")

    def test_responses_match_their_schemas(self):
        for entity, body in {"leads": {"name": "张", "channel": "zhihu", "tags": ["a"]},
                             "opportunities": {"name": "o", "amount": 100},
                             "contacts": {"name": "c", "is_primary": False},
                             "tasks": {"title": "t", "due_at": "2026-01-01T00:00:00Z"}}.items():
            path = f"/api/v1/{entity}"
            created = self.api("POST", path, body)
            self.conforms(created.json, self.doc["paths"][path]["post"]["responses"]["201"]["content"]["application/json"]["schema"], f"POST {path}")
            listed = self.api("GET", path)
            self.conforms(listed.json, self.doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"], f"GET {path}")
            hist = self.api("GET", f"{path}/{created.json['id']}/history")
            self.conforms(hist.json, self.doc["paths"][path + "/{id}/history"]["get"]["responses"]["200"]["content"]["application/json"]["schema"], "history")
        for path, code in [("/api/v1/me", "200"), ("/api/v1/users", "200"), ("/api/v1/departments", "200"), ("/api/v1/schema", "200")]:
            r = self.api("GET", path)
            self.conforms(r.json, self.doc["paths"][path]["get"]["responses"][code]["content"]["application/json"]["schema"], path)
        bad = self.api("POST", "/api/v1/leads", {"nope": 1})
        self.conforms(bad.json, self.doc["components"]["schemas"]["Problem"], "problem")

    def test_every_route_of_the_server_is_documented(self):
        # Probe a few undocumented-looking paths: the server must answer route.not_found for them,
        # so the document and the router agree in both directions.
        for path in ["/api/v1/lead", "/api/v1/leads/x/y/z", "/api/v2/leads"]:
            self.assertEqual(self.api("GET", path).json["code"], "route.not_found")
        self.assertIn("/api/v1/leads/{id}/history", self.doc["paths"])
        self.assertIn("/api/v1/schema/{entity}/fields", self.doc["paths"])


if __name__ == "__main__":
    unittest.main()
