// The package's install step (npm runs it on `npm install calign` once allowed: allowScripts or
// --allow-scripts=calign): builds the libtorch addon when libtorch is here, as native npm packages do.
// Without libtorch it says how to build the addon later and succeeds, because metrics, ROUGE, data,
// the stages and the HTTP and mock backends run without it; only tensor code needs it.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveLibtorch } from "./libtorch-location.mjs";

resolveLibtorch();
// Where binding.gyp looks: LIBTORCH's include folder, else Debian's libtorch-dev under /usr/include.
const include = process.env.LIBTORCH ? join(process.env.LIBTORCH, "include") : "/usr/include";
const header = join(include, "torch", "csrc", "api", "include", "torch", "torch.h");
if (existsSync(header)) {
  await import("./build-native.mjs");
} else {
  console.log(
    `calign: libtorch not found (no ${header}), so the libtorch addon is not built. Metrics, ROUGE, ` +
      "data, the stages and the HTTP and mock backends work without it; the embedded backend and " +
      "training need it. To build it: install libtorch (Debian: apt-get install libtorch-dev, or set " +
      `LIBTORCH to an unpacked libtorch), then run \`npm run build:native\` in ${fileURLToPath(new URL("..", import.meta.url))}`,
  );
}
