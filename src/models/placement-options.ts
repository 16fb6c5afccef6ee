// Where a model's weights live and in which dtype: the one option spec every command that runs a
// model shares (flags, config-file keys and help), resolved by engine/device.ts.
import type { Schema } from "../config/index.js";
import { DEVICE_CHOICES } from "../engine/index.js";

export const PLACEMENT_OPTIONS: Schema = {
  device: {
    type: "string",
    default: "auto",
    help: `${DEVICE_CHOICES}; auto = cuda:0 when this libtorch has CUDA and sees a GPU, else cpu`,
  },
  dtype: {
    type: "string",
    default: "float32",
    choices: ["float32", "bfloat16", "float16"],
    help: "weights in memory",
  },
};
