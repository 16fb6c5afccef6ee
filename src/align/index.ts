// The paper's stages as library functions over in-memory records (the CLI's stage commands wrap them
// with files, in stage-files.ts), and the paraphrasers the augment stage draws from.
export { AGREEMENT_PROMPT, type AgreementJudgeOptions, agreementJudge } from "./agreement-judge.js";
export { type AugmentOptions, type AugmentSummary, augmentGroups, augmentWarnings } from "./augment.js";
export { DEFAULT_FILTERS, type FilterOptions, type Rejection } from "./augment-filters.js";
export { evaluateSystem, type RespondOptions, respond, type SystemEvaluation } from "./evaluate.js";
export { instancePrompt } from "./instance-prompt.js";
export {
  type CheckerAgreement,
  checkerAgreement,
  type JudgeHealth,
  judgeHealth,
  judgeWarnings,
} from "./judge-health.js";
export { JUDGE_PROMPTS, judgeQuestion } from "./judge-prompt.js";
export { buildPairs, type PairOptions, type PairSummary, type PreferenceRecord } from "./pairs.js";
export { paraphrase } from "./paraphrase-rules.js";
export { rulesSource } from "./paraphrase-rules-source.js";
export { backendSource, PARAPHRASE_PROMPT, type ParaphraseSource, poolSource } from "./paraphrase-source.js";
export { type RewardMethod, type RewardOptions, rewardCandidates } from "./reward.js";
export { type CandidateSet, type SampleOptions, sampleCandidates } from "./sample.js";
export {
  type VerificationOptions,
  type VerificationSummary,
  verificationExamples,
} from "./verification-examples.js";
