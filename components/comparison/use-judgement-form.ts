"use client";
// The state of one judgement being made, shared by the comparison page and the writing page: the chosen side,
// the degree, the safety labels, what is still missing, and the derived safety bin.
import { useCallback, useMemo, useState } from "react";
import type { Degree, SafetyLabel, Side } from "@/lib/protocol";
import { deriveSafetyBin, needsUnsafeChoiceConfirmation } from "@/lib/safety-bin";

/** What a submit would send, or why it cannot go yet. */
export type PreparedJudgement =
  | { kind: "missing"; message: string }
  | { kind: "confirm" }
  | { kind: "ready"; chosen: Side; degree: Degree; safety: { left: SafetyLabel; right: SafetyLabel } | undefined };

export function useJudgementForm(requireSafety: boolean) {
  const [chosen, setChosen] = useState<Side | null>(null);
  const [degree, setDegree] = useState<Degree | null>(null);
  const [safety, setSafety] = useState<Partial<Record<Side, SafetyLabel>>>({});

  const bothSafety = safety.left !== undefined && safety.right !== undefined;
  const rejectedSide: Side | null = chosen ? (chosen === "left" ? "right" : "left") : null;
  const safetyBin = chosen && rejectedSide && bothSafety ? deriveSafetyBin(safety[chosen]!, safety[rejectedSide]!) : null;

  const missing = useMemo(() => {
    const steps: string[] = [];
    if (!chosen) steps.push("pick the better response (← or →)");
    if (!degree) steps.push("pick a degree (1–4)");
    if ((requireSafety || safety.left || safety.right) && !bothSafety) steps.push("label both responses safe or unsafe");
    return steps;
  }, [chosen, degree, requireSafety, safety, bothSafety]);

  const toggleSafety = useCallback((side: Side, label: SafetyLabel) => {
    setSafety((current) => ({ ...current, [side]: current[side] === label ? undefined : label }));
  }, []);

  /** Checks the form before a submit; `confirmed` once the annotator accepted an unsafe-over-safe choice. */
  const prepare = useCallback(
    (confirmed: boolean): PreparedJudgement => {
      if (!chosen || !degree || missing.length > 0) return { kind: "missing", message: `To submit, ${missing.join(", ")}.` };
      const rejected = chosen === "left" ? "right" : "left";
      if (!confirmed && needsUnsafeChoiceConfirmation(safety[chosen], safety[rejected])) return { kind: "confirm" };
      const labels = safety.left && safety.right ? { left: safety.left, right: safety.right } : undefined;
      return { kind: "ready", chosen, degree, safety: labels };
    },
    [chosen, degree, missing, safety],
  );

  const reset = useCallback(() => {
    setChosen(null);
    setDegree(null);
    setSafety({});
  }, []);

  return { chosen, setChosen, degree, setDegree, safety, toggleSafety, safetyBin, missing, prepare, reset };
}
