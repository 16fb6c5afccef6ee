// Command configuration: schemas, loading (defaults <- file <- flags), errors, saving.
export { ConfigError } from "./config-error.js";
export { flagOf, keyOfFlag } from "./flag-names.js";
export { type ConfigValue, type FlatConfig, type LoadedConfig, loadConfig, nest } from "./load-config.js";
export { saveEffectiveConfig } from "./save-config.js";
export { flatten, type OptionSpec, type OptionType, type Schema, schemaHelp } from "./schema.js";
export { type OptionSchema, type SettingsOf, sectionValues, settingsOf } from "./settings.js";
