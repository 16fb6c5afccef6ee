// Public library surface of calign. Each layer re-exports what users may import.
export * from "./backends/index.js";
export { VERSION } from "./util/version.js";
