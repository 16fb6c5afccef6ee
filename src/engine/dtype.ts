// Tensor element types and the typed arrays that carry their bytes to and from JavaScript.

export type DType =
  | "float32"
  | "float64"
  | "float16"
  | "bfloat16"
  | "int64"
  | "int32"
  | "int16"
  | "int8"
  | "uint8"
  | "bool";

/** float16 and bfloat16 travel as their raw 16-bit patterns (Node 20 has no Float16Array). */
export type AnyTypedArray =
  | Float32Array
  | Float64Array
  | Uint16Array
  | Int16Array
  | BigInt64Array
  | Int32Array
  | Int8Array
  | Uint8Array;

/** Views an ArrayBuffer of `dtype` elements as the matching typed array (no copy). */
export function viewAs(buffer: ArrayBuffer, dtype: DType): AnyTypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(buffer);
    case "float64":
      return new Float64Array(buffer);
    case "float16":
    case "bfloat16":
      return new Uint16Array(buffer);
    case "int16":
      return new Int16Array(buffer);
    case "int64":
      return new BigInt64Array(buffer);
    case "int32":
      return new Int32Array(buffer);
    case "int8":
      return new Int8Array(buffer);
    case "uint8":
    case "bool":
      return new Uint8Array(buffer);
  }
}

/** The dtype a typed array holds when none is given. */
export function dtypeOf(data: AnyTypedArray): DType {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  if (data instanceof BigInt64Array) return "int64";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Int16Array) return "int16";
  if (data instanceof Int8Array) return "int8";
  if (data instanceof Uint16Array) return "float16";
  return "uint8";
}
