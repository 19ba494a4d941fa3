"use client";
// The judging loop, once for every page that judges (the comparison page, the writing page): the form, a fresh
// idempotency key and clock per assignment, the unsafe-over-safe confirmation, and submit with retry. While the
// server (or its database) cannot be reached, the judgement is kept on screen and sent again by itself (1 s, then
// up to every 10 s; Enter tries at once) with the same key, so it is recorded once however often it is sent.
import { useCallback, useEffect, useRef, useState } from "react";
import type { ActionResult } from "@/server/action-result";
import type { Degree, SafetyLabel, Side } from "@/lib/protocol";
import { forgetChoices, useJudgementForm } from "./use-judgement-form";
import type { JudgingAction } from "./keymap";
import type { Notice } from "./decision-bar";

export type JudgementInput = {
  assignmentId: string;
  chosen: Side;
  degree: Degree;
  safety: { left: SafetyLabel; right: SafetyLabel } | undefined;
  idempotencyKey: string;
  timeSpentMs: number;
};

export type JudgingPhase = "judging" | "confirm-unsafe" | "busy" | "reconnecting";

export const RECONNECTING: Notice = {
  tone: "info",
  text: "Reconnecting… The server cannot be reached right now. Your choices are kept and will be sent as soon as it answers.",
};

export function newKey(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** Whether a failed call should be tried again by itself: the server (or its database) cannot be reached. */
export function unreachable(result: ActionResult<unknown> | null): boolean {
  return result === null || (!result.ok && result.error.code === "unavailable");
}

/** Calls an action; a network failure (the promise rejects) reads as null. */
export async function attempt<T>(call: () => Promise<ActionResult<T>>): Promise<ActionResult<T> | null> {
  try {
    return await call();
  } catch {
    return null;
  }
}

export function useJudging<T>(options: {
  assignmentId: string | null;
  requireSafety: boolean;
  /** Sends a judgement (the same input again on retry). */
  send: (input: JudgementInput) => Promise<ActionResult<T>>;
  /** What to say once it is saved. */
  onSaved: (value: T, input: JudgementInput) => Notice;
  /** What to say when the server refuses it; null: its own message. */
  onRefused?: (error: { code: string; message: string }, input: JudgementInput) => Notice;
}) {
  const { assignmentId, requireSafety } = options;
  const form = useJudgementForm(requireSafety, assignmentId);
  const [phase, setPhase] = useState<JudgingPhase>("judging");
  const [notice, setNotice] = useState<Notice>(null);
  const keyRef = useRef("");
  const startedRef = useRef(0);
  const pendingRef = useRef<JudgementInput | null>(null);
  const [attempts, setAttempts] = useState(0);
  // The page's callbacks change with every render; the loop reads the latest without restarting its timers.
  const callbacks = useRef(options);
  useEffect(() => {
    callbacks.current = options;
  });

  useEffect(() => {
    keyRef.current = newKey();
    startedRef.current = Date.now();
  }, [assignmentId]);

  const deliver = useCallback(async (input: JudgementInput): Promise<void> => {
    setPhase("busy");
    const result = await attempt(() => callbacks.current.send(input));
    if (unreachable(result)) {
      pendingRef.current = input;
      setNotice(RECONNECTING);
      setPhase("reconnecting");
      return;
    }
    pendingRef.current = null;
    setAttempts(0);
    setPhase("judging");
    if (result!.ok) {
      forgetChoices(input.assignmentId);
      setNotice(callbacks.current.onSaved(result!.value, input));
      return;
    }
    setNotice(callbacks.current.onRefused?.(result!.error, input) ?? { tone: "error", text: result!.error.message });
  }, []);

  const retryNow = useCallback(() => {
    if (pendingRef.current) void deliver(pendingRef.current);
  }, [deliver]);

  useEffect(() => {
    if (phase !== "reconnecting") return;
    const timer = setTimeout(
      () => {
        setAttempts((n) => n + 1);
        retryNow();
      },
      Math.min(10_000, 1000 * 2 ** attempts),
    );
    return () => clearTimeout(timer);
  }, [phase, attempts, retryNow]);

  const { prepare } = form;
  const submit = useCallback(
    (confirmed: boolean) => {
      if (phase === "busy" || phase === "reconnecting") return;
      const prepared = prepare(confirmed);
      if (!assignmentId) return setNotice({ tone: "error", text: "Wait until both responses are complete." });
      if (prepared.kind === "missing") return setNotice({ tone: "error", text: prepared.message });
      if (prepared.kind === "confirm") return setPhase("confirm-unsafe");
      void deliver({
        assignmentId,
        chosen: prepared.chosen,
        degree: prepared.degree,
        safety: prepared.safety,
        idempotencyKey: keyRef.current,
        timeSpentMs: Date.now() - startedRef.current,
      });
    },
    [phase, prepare, assignmentId, deliver],
  );

  const { setChosen, setDegree, toggleSafety } = form;
  /** A key's action on the form (choose, degree, safety, submit); other actions are the page's. */
  const act = useCallback(
    (action: JudgingAction): boolean => {
      if (phase === "reconnecting") {
        if (action.kind === "submit") retryNow();
        return action.kind === "submit";
      }
      if (phase !== "judging") return false;
      if (action.kind === "choose") setChosen(action.side);
      else if (action.kind === "degree") setDegree(action.degree);
      else if (action.kind === "safety") toggleSafety(action.side, action.label);
      else if (action.kind === "submit") submit(false);
      else return false;
      return true;
    },
    [phase, retryNow, setChosen, setDegree, toggleSafety, submit],
  );

  return {
    form,
    phase,
    busy: phase === "busy" || phase === "reconnecting",
    notice,
    setNotice,
    submit: () => submit(false),
    confirmUnsafe: () => submit(true),
    cancelConfirm: () => setPhase("judging"),
    act,
    retryNow,
  };
}
