// Sharded safetensors as Hugging Face writes them: `model.safetensors.index.json` holds
// {"metadata": {...}, "weight_map": {tensor name: shard file}}; shards open lazily, on first read.
import { dirname, join } from "node:path";
import { ModelFileError } from "./model-file-error.js";
import type { RawTensor } from "./raw-tensor.js";
import { readJsonObject } from "./read-json.js";
import { SafetensorsFile } from "./safetensors-file.js";
import type { FileRegion, TensorInfo, TensorSource } from "./tensor-source.js";

export class ShardedSafetensors implements TensorSource {
  readonly path: string;
  readonly metadata: Record<string, unknown>;
  private readonly weightMap: Map<string, string>;
  private readonly shards = new Map<string, SafetensorsFile>();

  private constructor(path: string, metadata: Record<string, unknown>, weightMap: Map<string, string>) {
    this.path = path;
    this.metadata = metadata;
    this.weightMap = weightMap;
  }

  /** Opens the index and checks that every listed tensor is in its shard. */
  static open(indexPath: string): ShardedSafetensors {
    const index = readJsonObject(indexPath);
    const map = index.weight_map;
    if (typeof map !== "object" || map === null || Array.isArray(map))
      throw new ModelFileError(indexPath, "weight_map is missing or not an object");
    const weightMap = new Map<string, string>();
    for (const [name, shard] of Object.entries(map)) {
      if (typeof shard !== "string" || shard.includes("/") || shard.includes("\\")) {
        throw new ModelFileError(
          indexPath,
          `weight_map entry is not a shard file name: ${JSON.stringify(shard)}`,
          name,
        );
      }
      weightMap.set(name, shard);
    }
    const metadata = (
      typeof index.metadata === "object" && index.metadata !== null ? index.metadata : {}
    ) as Record<string, unknown>;
    const sharded = new ShardedSafetensors(indexPath, metadata, weightMap);
    try {
      for (const [name, shard] of weightMap) {
        if (!sharded.shard(shard).has(name))
          throw new ModelFileError(
            join(dirname(indexPath), shard),
            "listed in the index but missing from its shard",
            name,
          );
      }
    } catch (err) {
      sharded.close();
      throw err;
    }
    return sharded;
  }

  list(): TensorInfo[] {
    const out: TensorInfo[] = [];
    for (const [shard, file] of this.openShards()) {
      for (const info of file.list()) if (this.weightMap.get(info.name) === shard) out.push(info);
    }
    return out;
  }

  has(name: string): boolean {
    return this.weightMap.has(name);
  }

  read(name: string): RawTensor {
    return this.shardOf(name).read(name);
  }

  locate(name: string): FileRegion {
    return this.shardOf(name).locate(name);
  }

  private shardOf(name: string): SafetensorsFile {
    const shard = this.weightMap.get(name);
    if (shard === undefined) throw new ModelFileError(this.path, "not in weight_map", name);
    return this.shard(shard);
  }

  close(): void {
    for (const f of this.shards.values()) f.close();
    this.shards.clear();
  }

  private shard(file: string): SafetensorsFile {
    let f = this.shards.get(file);
    if (f === undefined) {
      f = SafetensorsFile.open(join(dirname(this.path), file));
      this.shards.set(file, f);
    }
    return f;
  }

  private openShards(): Map<string, SafetensorsFile> {
    for (const shard of new Set(this.weightMap.values())) this.shard(shard);
    return this.shards;
  }
}
