// A bad configuration value: names the source (file and line, or the flag) and the key.
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(
    readonly source: string,
    readonly key: string,
    message: string,
  ) {
    super(`${source}: ${key}: ${message}`);
  }
}
