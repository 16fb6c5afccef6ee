// Checkpoints: the trainable weights, the optimizer's moments, the trainer's position in the data and
// its counters, written to a temporary folder and renamed into place, so a checkpoint on disk is
// always whole. Resuming from one reproduces the uninterrupted run bit for bit.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { noGrad, type Tensor, tidy } from "../engine/index.js";
import { fromRawTensor, toRawTensor } from "../io/engine-tensor.js";
import { SafetensorsFile } from "../io/safetensors-file.js";
import { writeSafetensors } from "../io/safetensors-write.js";
import { writeAll, writeFileAtomicSync, writeJsonAtomicSync } from "../util/atomic-write.js";

export interface TrainerState {
  /** Optimizer steps done. */
  step: number;
  /** Epoch of the next batch, and how many of that epoch's batches are done. */
  epoch: number;
  batchInEpoch: number;
  numTokens: number;
  skippedSteps: number;
  /** Hash of the settings that must not change across a resume (data, model, batch shape). */
  fingerprint: string;
}

const PREFIX = "checkpoint-";

export function saveCheckpoint(
  outputDir: string,
  state: TrainerState,
  params: ReadonlyMap<string, Tensor>,
  optimizerState: Uint8Array,
  keepLast: number,
): string {
  const final = join(outputDir, `${PREFIX}${state.step}`);
  const tmp = join(outputDir, `.${PREFIX}${state.step}.tmp`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  tidy(() =>
    writeSafetensors(
      join(tmp, "model.safetensors"),
      [...params].map(([name, t]) => toRawTensor(name, t.detach().contiguous())),
    ),
  );
  writeFileAtomicSync(join(tmp, "optimizer.bin"), (fd) => writeAll(fd, optimizerState));
  writeJsonAtomicSync(join(tmp, "trainer_state.json"), state);
  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  for (const old of listCheckpoints(outputDir).slice(0, -keepLast))
    rmSync(old.dir, { recursive: true, force: true });
  return final;
}

export function listCheckpoints(outputDir: string): { step: number; dir: string }[] {
  if (!existsSync(outputDir)) return [];
  return readdirSync(outputDir)
    .filter((n) => n.startsWith(PREFIX) && existsSync(join(outputDir, n, "trainer_state.json")))
    .map((n) => ({ step: Number(n.slice(PREFIX.length)), dir: join(outputDir, n) }))
    .filter((c) => Number.isInteger(c.step))
    .sort((a, b) => a.step - b.step);
}

export interface LoadedCheckpoint {
  state: TrainerState;
  optimizerState: Uint8Array;
}

/** Copies the checkpoint's weights into params (in place) and returns the rest of its state. */
export function loadCheckpoint(dir: string, params: ReadonlyMap<string, Tensor>): LoadedCheckpoint {
  const file = SafetensorsFile.open(join(dir, "model.safetensors"));
  try {
    tidy(() =>
      noGrad(() => {
        for (const [name, t] of params) t.copy_(fromRawTensor(file.read(name)));
      }),
    );
  } finally {
    file.close();
  }
  return {
    state: JSON.parse(readFileSync(join(dir, "trainer_state.json"), "utf8")) as TrainerState,
    optimizerState: readFileSync(join(dir, "optimizer.bin")),
  };
}
