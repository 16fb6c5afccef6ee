// Runs the independent Python reference (rouge_reference.py: NLTK's Porter stemmer, ROUGE written from
// the published definitions, SuperNI's answer normalisation) once per test file, all cases batched in one process. Debian's
// /usr/bin/python3 with python3-nltk is the reference; where it is missing the caller skips and says why.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PYTHON } from "../helpers/torch-python.js";

// Compiled to dist/test/reference/, the script stays in test/reference/ of the repository.
const SCRIPT = fileURLToPath(new URL("../../../test/reference/rouge_reference.py", import.meta.url));

export interface ReferenceJob {
  stem?: string[];
  rouge?: { target?: string; targets?: string[]; prediction: string; stem: boolean }[];
  normalize?: string[];
}

type Prf = [number, number, number];

export interface ReferenceResult {
  nltk: string;
  stem: string[];
  rouge: Record<"rouge1" | "rouge2" | "rougeL" | "rougeLsum", Prf>[];
  normalize: string[];
}

/** The reference's answers, or a string saying why the reference cannot run here. */
export function runReference(job: ReferenceJob): ReferenceResult | string {
  const out = runScript(job);
  // CI installs the reference: there its absence is a broken setup, never a silent skip.
  if (typeof out === "string" && process.env.CI === "true")
    throw new Error(`CI must run the NLTK reference: ${out}`);
  return out;
}

function runScript(job: ReferenceJob): ReferenceResult | string {
  if (!existsSync(PYTHON)) return `${PYTHON} is missing (install python3-nltk: scripts/install.sh)`;
  const r = spawnSync(PYTHON, [SCRIPT], {
    input: JSON.stringify(job),
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) {
    if (/No module named .?nltk/.test(r.stderr))
      return "NLTK is missing for /usr/bin/python3 (apt python3-nltk)";
    throw new Error(`reference scorer failed (${r.status}): ${r.stderr}`);
  }
  return JSON.parse(r.stdout) as ReferenceResult;
}
