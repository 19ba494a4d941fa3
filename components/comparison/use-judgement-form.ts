"use client";
// The state of one judgement being made, shared by the comparison page and the writing page: the chosen side,
// the degree, the safety labels, what is still missing, and the derived safety bin.
import { useCallback, useMemo, useState } from "react";
import type { Degree, SafetyLabel, Side } from "@/lib/protocol";
import { deriveSafetyBin } from "@/lib/safety-bin";

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

  const reset = useCallback(() => {
    setChosen(null);
    setDegree(null);
    setSafety({});
  }, []);

  return { chosen, setChosen, degree, setDegree, safety, toggleSafety, bothSafety, rejectedSide, safetyBin, missing, reset };
}
