// Conversion between file-format tensors (RawTensor: bytes + safetensors dtype) and engine tensors.
import { type DType, type Tensor, tensor, tensorFromFile } from "../engine/index.js";
import type { DType as FileDType, RawTensor } from "./raw-tensor.js";
import type { TensorSource } from "./tensor-source.js";

const TO_ENGINE: Partial<Record<FileDType, DType>> = {
  F64: "float64",
  F32: "float32",
  F16: "float16",
  BF16: "bfloat16",
  I64: "int64",
  I32: "int32",
  I16: "int16",
  I8: "int8",
  U8: "uint8",
  BOOL: "bool",
};

const TO_FILE: Record<DType, FileDType> = {
  float64: "F64",
  float32: "F32",
  float16: "F16",
  bfloat16: "BF16",
  int64: "I64",
  int32: "I32",
  int16: "I16",
  int8: "I8",
  uint8: "U8",
  bool: "BOOL",
};

function engineDType(name: string, dtype: FileDType): DType {
  const d = TO_ENGINE[dtype];
  if (d === undefined) throw new Error(`tensor ${name}: dtype ${dtype} has no engine equivalent`);
  return d;
}

/** An engine tensor holding a copy of the raw tensor's bytes. */
export function fromRawTensor(raw: RawTensor, device?: string): Tensor {
  return tensor(raw.data, raw.shape, { dtype: engineDType(raw.name, raw.dtype), device });
}

/**
 * A source's tensor in engine memory on the device: memory-mapped from its file and copied once where
 * the source stores it as is (safetensors), else read and copied (GGUF, which converts).
 */
export function loadTensor(source: TensorSource, name: string, device?: string): Tensor {
  const at = source.locate?.(name);
  if (at === undefined) return fromRawTensor(source.read(name), device);
  return tensorFromFile(at.path, at.offset, at.byteLength, at.shape, {
    dtype: engineDType(name, at.dtype),
    device,
  });
}

/** The tensor's bytes (a view of its CPU memory, no copy when contiguous) as a named RawTensor. */
export function toRawTensor(name: string, t: Tensor): RawTensor {
  const d = t.data();
  return {
    name,
    dtype: TO_FILE[t.dtype],
    shape: t.shape,
    data: new Uint8Array(d.buffer, d.byteOffset, d.byteLength),
  };
}
