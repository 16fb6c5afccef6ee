// --device on every command that runs a model (one spec, in --help), and a GPU this build lacks
// refused by the stage commands, `calign run`, `calign demo`, `calign serve`, `calign metrics`' judge
// and a `calign check` target before anything is written. (generate and dpo have the same check in
// their own tests.)
import assert from "node:assert/strict";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { calignResult } from "../../../test/helpers/calign-cli.js";
import { pipelineFixture } from "../../../test/helpers/pipeline-fixture.js";
import { flatten } from "../../config/index.js";
import { DEVICE } from "../../config/shared-options.js";
import { engineInfo } from "../../engine/index.js";
import { COMMANDS } from "./index.js";

const MODEL_COMMANDS = [
  ...["generate", "score", "serve", "sft", "dpo", "cat", "pretrain"],
  ...["augment", "sample", "reward", "evaluate", "run", "demo", "metrics"],
];

test("every command that runs a model takes --device, spelled and explained once", async () => {
  for (const name of MODEL_COMMANDS) {
    const command = await COMMANDS.find((c) => c.name === name)!.load();
    const device = flatten(command.options).find(([key]) => key === "device");
    assert.deepEqual(device?.[1], DEVICE, name);
    assert.ok(command.help.includes("--device"), `${name} --help`);
  }
});

const noCuda = { skip: engineInfo().cudaAvailable ? "this libtorch has CUDA" : false };

test(
  "--device cuda on a CPU-only build: sample, run, demo, serve and metrics exit 1 saying so, check 2, nothing written",
  noCuda,
  () => {
    const { dir, config } = pipelineFixture(5);
    try {
      const out = join(dir, "out");
      const responses = join(dir, "responses.jsonl");
      writeFileSync(
        responses,
        '{"id": "1", "instruction": "x", "variants": [{"text": "x", "response": "a"}]}\n',
      );
      const check = join(dir, "check.yaml");
      writeFileSync(
        check,
        `system:\n  path: ${dir}\n  device: cuda\ncases: [{ instruction: x, variants: [y] }]\n`,
      );
      const cases: [string, string[], RegExp, number?][] = [
        [
          "sample",
          [
            "sample",
            "--input",
            join(dir, "train.jsonl"),
            "--output",
            out,
            "--model",
            dir,
            "--device",
            "cuda",
          ],
          /calign sample: --device 'cuda': this calign's libtorch \(.*\) has no CUDA/,
        ],
        [
          "run",
          ["run", config, "--output", out, "--device", "cuda"],
          /calign run: --device: device 'cuda': this calign's libtorch \(.*\) has no CUDA/,
        ],
        [
          "run, a trainer section's device",
          ["run", config, "--output", out, "--cat.device", "cuda:1"],
          /calign run: --cat\.device: device 'cuda:1': .*no CUDA/,
        ],
        [
          "demo",
          ["demo", "--quick", "--output", out, "--base", dir, "--device", "cuda"],
          /calign demo: --device: device 'cuda': .*no CUDA/,
        ],
        [
          "serve",
          ["serve", "--model", dir, "--port", "0", "--device", "cuda"],
          /calign serve: --device 'cuda'/,
        ],
        [
          "metrics",
          ["metrics", responses, "--sim", "judge", "--judge", dir, "--output", out, "--device", "cuda"],
          /calign metrics: --device 'cuda': this calign's libtorch \(.*\) has no CUDA/,
        ],
        [
          "check",
          ["check", check, "--output-dir", out],
          /calign check: .*check\.yaml:3: system\.device: device 'cuda': .*no CUDA/,
          2,
        ],
      ];
      for (const [what, args, message, status = 1] of cases) {
        const r = calignResult(...args);
        assert.equal(r.status, status, `${what}: ${r.stderr}`);
        assert.match(r.stderr, message, what);
        assert.doesNotMatch(r.stderr, /\n\s+at /, what);
        assert.equal(existsSync(out), false, `${what} wrote ${out}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
