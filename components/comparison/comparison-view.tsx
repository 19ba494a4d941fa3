"use client";
// The comparison page: the task on screen, the next one handed out with each submit, skip, and undo of the last
// judgement (⌫, within 30 s or until the next submit). The judging itself (form, keys, submit, retry) is the judging
// module's; this page adds the task's lifecycle around it.
import { useCallback, useEffect, useRef, useState } from "react";
import Link from "next/link";
import type { TaskView } from "@/server/tasks/task-view";
import type { AnnotatorProgress } from "@/server/tasks/queries";
import type { JudgementView } from "@/server/tasks/submit-judgement";
import type { ActionResult } from "@/server/action-result";
import { DEGREE_LABELS, SKIP_REASON_LABELS, type SkipReason } from "@/lib/protocol";
import { Button } from "@/components/ui/button";
import { Kbd } from "@/components/ui/kbd";
import { useNow } from "@/components/ui/use-now";
import { DecisionBar, type Notice } from "@/components/judging/decision-bar";
import { DialogueContext } from "@/components/judging/dialogue-context";
import { GuidelinesPanel } from "@/components/judging/guidelines-panel";
import { JudgingCards } from "@/components/judging/judging-cards";
import { SkipDialog } from "@/components/judging/skip-dialog";
import { UnsafeChoiceDialog } from "@/components/judging/unsafe-choice-dialog";
import { SIDE_NAME } from "@/components/judging/response-pair";
import { keepChoices, type Choices } from "@/components/judging/use-judgement-form";
import { RECONNECTING, attempt, unreachable, useJudging, type JudgementInput } from "@/components/judging/use-judging";
import { useShortcuts } from "@/components/judging/use-shortcuts";
import { KEYS, type JudgingAction } from "@/components/judging/keymap";
import { TaskHeader } from "./task-header";
import { NothingToJudge } from "./nothing-to-judge";

export type Claimed = { task: TaskView | null; progress: AnnotatorProgress };

export type ComparisonActions = {
  claimNext: () => Promise<ActionResult<Claimed>>;
  /** Records the judgement and returns the next task with it: one round trip between Enter and the next pair. */
  submitAndNext: (input: unknown) => Promise<ActionResult<{ judgement: JudgementView; next: Claimed }>>;
  revise: (input: unknown) => Promise<ActionResult<JudgementView>>;
  skip: (input: unknown) => Promise<ActionResult<unknown>>;
};

/** The judgement that can still be taken back: shown again with its choices, corrected through the server. */
type LastJudgement = { task: TaskView; choices: Choices; judgementId: string; savedAt: number };
type Saved = { judgementId: string; next: Claimed | null };

const UNDO_MS = 30_000;

function describe(input: JudgementInput): string {
  return `${SIDE_NAME[input.chosen]} ${DEGREE_LABELS[input.degree].toLowerCase()}`;
}

export function ComparisonView(props: { initial: Claimed; actions: ComparisonActions; batchFilter: string | null; writableBatches: number }) {
  const { actions } = props;
  const [task, setTask] = useState<TaskView | null>(props.initial.task);
  const [progress, setProgress] = useState<AnnotatorProgress>(props.initial.progress);
  const [guidelinesOpen, setGuidelinesOpen] = useState(false);
  const [skipping, setSkipping] = useState(false);
  const [lost, setLost] = useState(false);
  const [loading, setLoading] = useState(false);
  const [last, setLast] = useState<LastJudgement | null>(null);
  const [revising, setRevising] = useState(false);
  const now = useNow();
  const shown = revising && last ? last.task : task;
  const canUndo = !!last && !revising && now !== null && now - last.savedAt < UNDO_MS;

  const showNext = useCallback((next: Claimed) => {
    setTask(next.task);
    setProgress(next.progress);
    setLost(false);
    window.scrollTo({ top: 0 });
  }, []);

  const send = useCallback(
    async (input: JudgementInput): Promise<ActionResult<Saved>> => {
      if (revising && last) {
        const result = await actions.revise({
          judgementId: last.judgementId,
          chosen: input.chosen,
          degree: input.degree,
          safety: input.safety,
          idempotencyKey: input.idempotencyKey,
        });
        return result.ok ? { ok: true, value: { judgementId: result.value.id, next: null } } : result;
      }
      const result = await actions.submitAndNext(input);
      return result.ok ? { ok: true, value: { judgementId: result.value.judgement.id, next: result.value.next } } : result;
    },
    [actions, revising, last],
  );

  const judging = useJudging<Saved>({
    assignmentId: shown?.assignmentId ?? null,
    requireSafety: shown?.batch.requireSafety ?? false,
    send,
    onSaved: (saved, input) => {
      if (!saved.next) {
        setRevising(false);
        setLast(null);
        return { tone: "success", text: `Corrected: ${describe(input)}.` };
      }
      const choices: Choices = { chosen: input.chosen, degree: input.degree, safety: input.safety ?? {} };
      setLast({ task: shown!, choices, judgementId: saved.judgementId, savedAt: Date.now() });
      showNext(saved.next);
      return saved.next.task ? { tone: "success", text: `Saved: ${describe(input)}.` } : null;
    },
    onRefused: (error) => {
      if (error.code !== "lease_expired" && error.code !== "batch_not_active" && error.code !== "not_found") return null;
      setLost(true);
      return { tone: "error", text: `${error.message} Press Enter for the next comparison.` };
    },
  });
  const { form, setNotice } = judging;

  // The claim tries again by itself while the server cannot be reached (through the ref: its latest version).
  const loadNextRef = useRef<() => Promise<void>>(async () => undefined);
  const loadNext = useCallback(async (): Promise<void> => {
    setLoading(true);
    const result = await attempt(actions.claimNext);
    setLoading(false);
    if (unreachable(result)) {
      setNotice(RECONNECTING);
      setTimeout(() => void loadNextRef.current(), 2000);
      return;
    }
    if (!result!.ok) return setNotice({ tone: "error", text: result!.error.message });
    setNotice(null);
    showNext(result!.value);
  }, [actions, showNext, setNotice]);
  useEffect(() => {
    loadNextRef.current = loadNext;
  }, [loadNext]);

  const skip = useCallback(
    async (reason: SkipReason, note: string) => {
      if (!task) return;
      setSkipping(false);
      const result = await attempt(() => actions.skip({ assignmentId: task.assignmentId, reason, note: note || undefined }));
      if (!result || !result.ok)
        return setNotice({ tone: "error", text: result ? result.error.message : "Could not reach the server. Try skipping again." });
      await loadNext();
      setNotice({ tone: "info", text: `Skipped (${SKIP_REASON_LABELS[reason].toLowerCase()}).` });
    },
    [task, actions, loadNext, setNotice],
  );

  const undo = useCallback(() => {
    if (!last) return;
    keepChoices(last.task.assignmentId, last.choices);
    setRevising(true);
    setNotice({ tone: "info", text: "Your last judgement is back: change it and submit, or press Esc to keep it as it was." });
    window.scrollTo({ top: 0 });
  }, [last, setNotice]);

  const stopRevising = useCallback(() => {
    if (!revising) return false;
    setRevising(false);
    setNotice({ tone: "info", text: "Kept as you first submitted it." });
    return true;
  }, [revising, setNotice]);

  const [raw, setRaw] = useState(false);
  const onAction = useCallback(
    (action: JudgingAction): boolean => {
      if (skipping || judging.phase === "confirm-unsafe") return false;
      if (action.kind === "undo" && canUndo) {
        undo();
        return true;
      }
      if (lost || !shown) {
        if (action.kind !== "submit") return false;
        void loadNext();
        return true;
      }
      if (action.kind === "guidelines") setGuidelinesOpen((open) => !open);
      else if (action.kind === "raw") setRaw((r) => !r);
      else if (action.kind === "skip" && !revising) setSkipping(true);
      else return judging.act(action);
      return true;
    },
    [skipping, judging, lost, shown, revising, canUndo, undo, loadNext],
  );
  useShortcuts(onAction, stopRevising);

  if (!shown) {
    return (
      <NothingToJudge
        judgedToday={progress.judgedToday}
        batchFilter={props.batchFilter}
        writableBatches={props.writableBatches}
        busy={loading}
        notice={judging.notice}
        onCheck={() => void loadNext()}
        onUndo={canUndo ? undo : undefined}
      />
    );
  }

  return (
    <div
      className="mx-auto max-w-7xl px-3 pt-3 sm:px-6"
      style={{ paddingBottom: "calc(var(--decision-bar-height, 11rem) + 1.5rem)" }}
      data-testid="comparison"
      data-assignment-id={shown.assignmentId}
      data-revising={revising || undefined}
    >
      <TaskHeader task={shown} progress={progress} now={now} revising={revising} onSkip={revising ? undefined : () => setSkipping(true)} />
      <GuidelinesPanel guidelines={shown.guidelines} open={guidelinesOpen} onOpenChange={setGuidelinesOpen} />
      <DialogueContext context={shown.context} prompt={shown.prompt} />
      <JudgingCards
        left={shown.left.content}
        right={shown.right.content}
        form={form}
        requireSafety={shown.batch.requireSafety}
        raw={raw}
        onRaw={() => setRaw((r) => !r)}
      />
      <DecisionBar
        chosen={form.chosen}
        degree={form.degree}
        safetyBin={form.safetyBin}
        missing={form.missing}
        busy={judging.busy}
        notice={
          canUndo && judging.notice?.tone === "success" ? { ...judging.notice, action: { label: "Undo", key: KEYS.undo, run: undo } } : judging.notice
        }
        onChoose={form.setChosen}
        onDegree={form.setDegree}
        onSubmit={judging.submit}
        onSkip={revising ? undefined : () => setSkipping(true)}
      />
      {revising && (
        <div className="mt-3 flex justify-end">
          <Button variant="quiet" onClick={stopRevising} data-testid="keep-judgement">
            Keep it as it was <Kbd>Esc</Kbd>
          </Button>
        </div>
      )}
      {judging.phase === "confirm-unsafe" && form.chosen && (
        <UnsafeChoiceDialog sideName={SIDE_NAME[form.chosen]} onCancel={judging.cancelConfirm} onConfirm={judging.confirmUnsafe} />
      )}
      {skipping && <SkipDialog onCancel={() => setSkipping(false)} onSkip={(reason, note) => void skip(reason, note)} />}
    </div>
  );
}

export type { Notice };
