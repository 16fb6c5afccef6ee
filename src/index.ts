// Public library surface of calign. Each layer re-exports what users may import.
export { VERSION } from "./version.js";
