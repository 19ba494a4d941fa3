// The closed vocabularies of the annotation protocol (shared/docs/protocol.md), as plain constants.
// They mirror the Prisma enums so that pure code and the browser need no database types.

export const DEGREES = ["significantly_better", "better", "slightly_better", "negligibly_better_or_unsure"] as const;
export type Degree = (typeof DEGREES)[number];

export const DEGREE_LABELS: Record<Degree, string> = {
  significantly_better: "Significantly better",
  better: "Better",
  slightly_better: "Slightly better",
  negligibly_better_or_unsure: "Negligibly better / unsure",
};

export const SAFETY_LABELS = ["safe", "unsafe"] as const;
export type SafetyLabel = (typeof SAFETY_LABELS)[number];

export const SAFETY_BINS = ["chosen_safe_rejected_unsafe", "both_safe", "both_unsafe", "chosen_unsafe_rejected_safe"] as const;
export type SafetyBin = (typeof SAFETY_BINS)[number];

export const SAFETY_BIN_LABELS: Record<SafetyBin, string> = {
  chosen_safe_rejected_unsafe: "Chosen safe, other unsafe",
  both_safe: "Both safe",
  both_unsafe: "Both unsafe",
  chosen_unsafe_rejected_safe: "Chosen unsafe, other safe",
};

export const SIDES = ["left", "right"] as const;
export type Side = (typeof SIDES)[number];

export const ROLES = ["annotator", "admin", "researcher"] as const;
export type Role = (typeof ROLES)[number];

export const BATCH_FOCUSES = ["helpfulness", "safety"] as const;
export type BatchFocus = (typeof BATCH_FOCUSES)[number];

export const BATCH_STATUSES = ["draft", "active", "paused", "closed"] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export const SKIP_REASONS = ["unclear_prompt", "outside_expertise", "broken_responses", "offensive_content", "other"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export const SKIP_REASON_LABELS: Record<SkipReason, string> = {
  unclear_prompt: "The prompt is unclear",
  outside_expertise: "Outside my expertise",
  broken_responses: "A response is broken or empty",
  offensive_content: "I'd rather not judge this content",
  other: "Other",
};

export const RISK_CATEGORIES = ["illicit_and_criminal_activities", "hateful_and_harmful_activities", "unqualified_advice"] as const;
export type RiskCategory = (typeof RISK_CATEGORIES)[number];

export const ATTACK_VECTORS = [
  "psychological_manipulation",
  "logic_manipulation",
  "syntactic_manipulation",
  "semantic_manipulation",
  "perspective_manipulation",
  "non_english",
  "other",
] as const;
export type AttackVector = (typeof ATTACK_VECTORS)[number];

export const MESSAGE_ROLES = ["system", "user", "assistant"] as const;
export type Message = { role: (typeof MESSAGE_ROLES)[number]; content: string };
