// What the engine loads weights from: a listing plus one-tensor-at-a-time reads, so a model can be
// copied into engine memory tensor by tensor without ever holding a second full copy of its weights.
import type { DType, RawTensor } from "./raw-tensor.js";

export interface TensorInfo {
  name: string;
  /** The dtype `read` returns (quantized GGUF tensors read as F32). */
  dtype: DType;
  shape: number[];
}

/** Where a tensor's bytes lie in a file, exactly as `read` returns them. */
export interface FileRegion extends TensorInfo {
  path: string;
  offset: number;
  byteLength: number;
}

export interface TensorSource {
  /** The file (or index file) the tensors come from, for messages. */
  readonly path: string;
  list(): TensorInfo[];
  has(name: string): boolean;
  read(name: string): RawTensor;
  /** Where the tensor is stored as is, for loading by memory map; absent where none is (GGUF converts). */
  locate?(name: string): FileRegion;
  close(): void;
}
