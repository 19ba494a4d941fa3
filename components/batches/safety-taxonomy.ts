// How the console names the protocol's risk categories and attack vectors.
import type { AttackVector, RiskCategory } from "@/lib/protocol";

export const RISK_CATEGORY_NAMES: Record<RiskCategory, string> = {
  illicit_and_criminal_activities: "Illicit and criminal activities",
  hateful_and_harmful_activities: "Hateful and harmful activities",
  unqualified_advice: "Unqualified advice",
};

export const ATTACK_VECTOR_NAMES: Record<AttackVector, string> = {
  psychological_manipulation: "Psychological manipulation",
  logic_manipulation: "Logic manipulation",
  syntactic_manipulation: "Syntactic manipulation",
  semantic_manipulation: "Semantic manipulation",
  perspective_manipulation: "Perspective manipulation",
  non_english: "Non-English",
  other: "Other",
};
