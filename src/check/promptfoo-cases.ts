// Cases from a promptfoo config (promptfooconfig.yaml): every test is a case and every prompt, filled
// with the test's vars, one wording of it; the first prompt is the original. Prompts are promptfoo's
// Nunjucks templates, of which the `{{ var }}` substitution is supported; anything else (tags,
// filters, prompt files) is rejected with the line, so no prompt is sent other than promptfoo would.
// References are the values of a test's `equals` assertions.
import { YamlNode } from "../config/yaml-node.js";
import type { CheckCase } from "./check-config.js";

interface Template {
  raw: string;
  label: string;
  node: YamlNode;
}

const VAR = /\{\{\s*([A-Za-z_][\w]*)\s*\}\}/g;

function prompts(node: YamlNode): Template[] {
  return (node.isList ? node.items() : [node]).map((p, i) => {
    let raw: string;
    let label = `prompt ${i + 1}`;
    if (p.isMap) {
      p.onlyKeys(["id", "raw", "label"]);
      if (!p.has("raw"))
        p.fail("a prompt object needs raw (prompt files are not supported: inline the text)");
      raw = p.get("raw").string();
      label = p.optString("label", label);
    } else raw = p.string();
    if (/^file:\/\//.test(raw)) p.fail("prompt files (file://) are not supported: inline the prompt text");
    const rest = raw.replace(VAR, "");
    if (rest.includes("{{") || rest.includes("{%"))
      p.fail("only {{ var }} substitution is supported (no Nunjucks tags or filters)");
    return { raw, label, node: p };
  });
}

function fill(t: Template, vars: Record<string, unknown>, test: YamlNode): string {
  return t.raw.replace(VAR, (_m, name: string) => {
    const v = vars[name];
    if (v === undefined || v === null)
      test.fail(`no var ${JSON.stringify(name)} for ${t.label} (line ${t.node.line})`);
    return typeof v === "string" ? v : JSON.stringify(v);
  });
}

function varsOf(node: YamlNode): Record<string, unknown> {
  if (node.isNull) return {};
  if (!node.isMap) node.fail("must be a mapping of variable names to values (vars files are not supported)");
  return node.toJS() as Record<string, unknown>;
}

/** References: the string values of `equals` assertions. */
function references(node: YamlNode): string[] {
  if (node.isNull) return [];
  return node
    .items()
    .filter((a) => a.isMap && a.get("type").toJS() === "equals" && typeof a.get("value").toJS() === "string")
    .map((a) => a.get("value").string({ nonEmpty: false }));
}

export async function readPromptfooCases(file: string): Promise<Omit<CheckCase, "task" | "thresholds">[]> {
  const root = YamlNode.read(file);
  if (!root.has("prompts")) root.fail("missing", "prompts");
  if (!root.has("tests")) root.fail("missing", "tests");
  const templates = prompts(root.get("prompts"));
  const defaults = varsOf(root.get("defaultTest").get("vars"));
  const tests = root.get("tests");
  if (!tests.isList) tests.fail("must be a list of tests (test files are not supported: inline them)");
  const seen = new Set<string>();
  return tests.items().map((test, i) => {
    if (!test.isMap) test.fail("must be a test (a mapping with vars)");
    const vars = { ...defaults, ...varsOf(test.get("vars")) };
    const [first, ...others] = templates.map((t) => fill(t, vars, test));
    const id = test.optString("description", `test-${i + 1}`);
    if (seen.has(id))
      test.get("description").fail(`duplicate test ${JSON.stringify(id)}: cases need unique names`);
    seen.add(id);
    return {
      id,
      file,
      line: test.line,
      instruction: first!,
      input: "",
      references: references(test.get("assert")),
      variants: others.map((text, j) => ({ text, origin: templates[j + 1]!.label })),
    };
  });
}
