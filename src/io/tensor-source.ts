// What the engine loads weights from: a listing plus one-tensor-at-a-time reads, so a model can be
// copied into engine memory tensor by tensor without ever holding a second full copy of its weights.
import type { DType, RawTensor } from "./raw-tensor.js";

export interface TensorInfo {
  name: string;
  /** The dtype `read` returns (quantized GGUF tensors read as F32). */
  dtype: DType;
  shape: number[];
}

export interface TensorSource {
  /** The file (or index file) the tensors come from, for messages. */
  readonly path: string;
  list(): TensorInfo[];
  has(name: string): boolean;
  read(name: string): RawTensor;
  close(): void;
}
