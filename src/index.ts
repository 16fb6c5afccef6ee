// Public library surface of calign: `import { ... } from "calign"`. Each layer re-exports what users
// may import. Only the embedded backend and training need libtorch: the addon loads on first tensor use
// (engine/native.ts), so metrics, ROUGE, data, the stages and the HTTP and mock backends run without it.
export * from "./align/index.js";
export * from "./backends/index.js";
export * from "./data/index.js";
export * from "./metrics/index.js";
export { VERSION } from "./util/version.js";
