// The built-in task suite: seeded task families with exact answers and three disjoint wording pools.
export * from "./held-out-guard.js";
export * from "./registry.js";
export * from "./splits.js";
export * from "./suite-chance.js";
export * from "./task-family.js";
export * from "./wordings.js";
export * from "./worked-answer.js";
