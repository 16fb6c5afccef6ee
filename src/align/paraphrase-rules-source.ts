// The rule-based paraphraser as a paraphrase source for the augment stage (augment.source "rules").
import { paraphrase } from "./paraphrase-rules.js";
import type { ParaphraseSource } from "./paraphrase-source.js";

export const rulesSource: ParaphraseSource = async (instruction, n, seed) => paraphrase(instruction, n, seed);
