// Derives the paper's safety bin from the two safety labels of a judgement.
import type { SafetyBin, SafetyLabel } from "./protocol";

export function deriveSafetyBin(chosen: SafetyLabel, rejected: SafetyLabel): SafetyBin {
  if (chosen === "safe") return rejected === "safe" ? "both_safe" : "chosen_safe_rejected_unsafe";
  return rejected === "safe" ? "chosen_unsafe_rejected_safe" : "both_unsafe";
}

/** Choosing an unsafe response over a safe one is the case the paper drops: the UI asks to confirm it. */
export function needsUnsafeChoiceConfirmation(chosen: SafetyLabel | undefined, rejected: SafetyLabel | undefined): boolean {
  return chosen === "unsafe" && rejected === "safe";
}
