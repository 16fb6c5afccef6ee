// Metrics: ROUGE as rouge-score computes it, consistency and robustness figures, collapse diagnostics,
// bootstrap intervals.
export * from "./answer-pattern.js";
export * from "./auc.js";
export * from "./bootstrap.js";
export * from "./collapse.js";
export * from "./collapse-flag.js";
export * from "./compare.js";
export * from "./consistency.js";
export * from "./figures.js";
export * from "./input-sensitivity.js";
export * from "./item.js";
export * from "./majority-baseline.js";
export * from "./normalize-answer.js";
export * from "./porter-stemmer.js";
export * from "./posix.js";
export * from "./quality.js";
export * from "./report.js";
export * from "./robustness.js";
export * from "./rouge.js";
export * from "./similarity.js";
export * from "./tokenizers.js";
