"use client";
// The state of one judgement being made: the chosen side, the degree, the safety labels, what is still missing,
// and the derived safety bin. Kept in the tab's session storage per assignment, so a reload brings the choices back.
import { useCallback, useEffect, useMemo, useState } from "react";
import type { Degree, SafetyLabel, Side } from "@/lib/protocol";
import { deriveSafetyBin, needsUnsafeChoiceConfirmation } from "@/lib/safety-bin";

/** What a submit would send, or why it cannot go yet. */
export type PreparedJudgement =
  | { kind: "missing"; message: string }
  | { kind: "confirm" }
  | { kind: "ready"; chosen: Side; degree: Degree; safety: { left: SafetyLabel; right: SafetyLabel } | undefined };

export type Choices = { chosen: Side | null; degree: Degree | null; safety: Partial<Record<Side, SafetyLabel>> };

const EMPTY: Choices = { chosen: null, degree: null, safety: {} };
const STORAGE_PREFIX = "pairwise:choices:";

function stored(assignmentId: string | null): Choices | null {
  if (!assignmentId || typeof sessionStorage === "undefined") return null;
  try {
    const value = JSON.parse(sessionStorage.getItem(STORAGE_PREFIX + assignmentId) ?? "null") as Choices | null;
    return value && typeof value === "object" ? { ...EMPTY, ...value } : null;
  } catch {
    return null;
  }
}

/** Keeps choices for an assignment, to be put on screen when it is shown (an undone judgement). */
export function keepChoices(assignmentId: string, choices: Choices): void {
  try {
    sessionStorage.setItem(STORAGE_PREFIX + assignmentId, JSON.stringify(choices));
  } catch {
    // storage unavailable: the form starts empty
  }
}

/** Forgets what was kept for an assignment once its judgement is saved. */
export function forgetChoices(assignmentId: string): void {
  try {
    sessionStorage.removeItem(STORAGE_PREFIX + assignmentId);
  } catch {
    // storage unavailable: nothing was kept
  }
}

export function useJudgementForm(requireSafety: boolean, assignmentId: string | null) {
  const [choices, setChoices] = useState<Choices>(EMPTY);
  const { chosen, degree, safety } = choices;

  // A new assignment starts from what this tab kept for it (a reload), else empty. Read after mount: the server
  // renders without storage.
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- session storage is read after hydration, not while rendering
    setChoices(stored(assignmentId) ?? EMPTY);
  }, [assignmentId]);

  const update = useCallback(
    (change: (current: Choices) => Choices) => {
      setChoices((current) => {
        const next = change(current);
        if (assignmentId) {
          try {
            sessionStorage.setItem(STORAGE_PREFIX + assignmentId, JSON.stringify(next));
          } catch {
            // storage full or off: the choices stay on screen, only a reload would lose them
          }
        }
        return next;
      });
    },
    [assignmentId],
  );

  const bothSafety = safety.left !== undefined && safety.right !== undefined;
  const rejectedSide: Side | null = chosen ? (chosen === "left" ? "right" : "left") : null;
  const safetyBin = chosen && rejectedSide && bothSafety ? deriveSafetyBin(safety[chosen]!, safety[rejectedSide]!) : null;

  const missing = useMemo(() => {
    const steps: string[] = [];
    if (!chosen) steps.push("pick the better response (A or B)");
    if (!degree) steps.push("pick how much better (1–4)");
    if ((requireSafety || safety.left || safety.right) && !bothSafety) steps.push("label both responses safe or unsafe");
    return steps;
  }, [chosen, degree, requireSafety, safety, bothSafety]);

  const setChosen = useCallback((side: Side) => update((c) => ({ ...c, chosen: side })), [update]);
  const setDegree = useCallback((value: Degree) => update((c) => ({ ...c, degree: value })), [update]);
  const toggleSafety = useCallback(
    (side: Side, label: SafetyLabel) => update((c) => ({ ...c, safety: { ...c.safety, [side]: c.safety[side] === label ? undefined : label } })),
    [update],
  );
  /** Puts choices back on screen (an undone judgement). */
  const restore = useCallback((value: Choices) => update(() => value), [update]);

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

  return { choices, chosen, setChosen, degree, setDegree, safety, toggleSafety, safetyBin, missing, prepare, restore };
}
