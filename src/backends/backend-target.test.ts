import assert from "node:assert/strict";
import { test } from "node:test";
import { parseTarget } from "./backend-target.js";

test("issue 16 item 4: a model value is a path, a URL, URL#MODEL, or replicas URL+URL", () => {
  assert.deepEqual(parseTarget("models/base"), { kind: "path", path: "models/base" });
  assert.deepEqual(parseTarget("runs/x#1/model"), { kind: "path", path: "runs/x#1/model" });
  assert.deepEqual(parseTarget("http://h:8000/v1/"), {
    kind: "url",
    urls: ["http://h:8000/v1"],
    model: null,
  });
  assert.deepEqual(parseTarget("https://api.example.com/v1#org/model-7b"), {
    kind: "url",
    urls: ["https://api.example.com/v1"],
    model: "org/model-7b",
  });
  assert.deepEqual(parseTarget("http://a:8000/v1+http://b:8001/v1#m"), {
    kind: "url",
    urls: ["http://a:8000/v1", "http://b:8001/v1"],
    model: "m",
  });
});

test("issue 16 item 4: a malformed server value is a setup error saying what is wrong", () => {
  const fails = (value: string, why: RegExp) =>
    assert.throws(
      () => parseTarget(value),
      (e: Error) => e.name === "BackendSetupError" && why.test(e.message),
    );
  fails("http://h/v1#", /nothing after "#"/);
  fails("http://h/v1+h2:8000/v1", /"h2:8000\/v1" is not an http\(s\) URL/);
  fails("http://h/v1++http://h2/v1", /"" is not an http\(s\) URL/);
});
