// A bad configuration value: names the source (file and line, or the flag) and the key.
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(
    readonly source: string,
    readonly key: string,
    message: string,
  ) {
    // A flag names its option itself: "--top-p: must be <= 1", not "--top-p: top_p: ...".
    super(source === key ? `${source}: ${message}` : `${source}: ${key}: ${message}`);
  }
}
