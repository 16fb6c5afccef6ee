// One spelling per option: config keys are snake_case (`max_tokens`, `cat.sft_weight`), their flags
// the same words in kebab-case (`--max-tokens`, `--cat.sft-weight`). The schema holds the keys; these
// two functions are the only place the spellings are mapped.

/** The flag of a config key, without the dashes: `cat.sft_weight` → `cat.sft-weight`. */
export const flagOf = (key: string): string => key.replaceAll("_", "-");

/** The config key of a flag name (no leading dashes): `cat.sft-weight` → `cat.sft_weight`. */
export const keyOfFlag = (flag: string): string => flag.replaceAll("-", "_");
