"use client";
// The writing page: the annotator writes a prompt, two models answer it live side by side (use-turn-stream), the
// annotator judges the pair with the same judging module as /annotate, then writes the next turn (the chosen
// response becomes the assistant's turn) or ends the dialogue. A reload resumes the open dialogue.
import { useCallback, useMemo, useRef, useState } from "react";
import type { DialogueView, WritingDesk } from "@/server/dialogues/queries";
import type { StartedTurn } from "@/server/dialogues/start-turn";
import type { EndedDialogue } from "@/server/dialogues/end-dialogue";
import type { JudgementView } from "@/server/tasks/submit-judgement";
import type { ActionResult } from "@/server/action-result";
import { DEGREE_LABELS, type Message } from "@/lib/protocol";
import { DecisionBar, type Notice } from "@/components/judging/decision-bar";
import { DialogueContext } from "@/components/judging/dialogue-context";
import { GuidelinesPanel } from "@/components/judging/guidelines-panel";
import { JudgingCards } from "@/components/judging/judging-cards";
import { ResponsePair, SIDE_NAME } from "@/components/judging/response-pair";
import { UnsafeChoiceDialog } from "@/components/judging/unsafe-choice-dialog";
import { attempt, useJudging } from "@/components/judging/use-judging";
import { useShortcuts } from "@/components/judging/use-shortcuts";
import type { JudgingAction } from "@/components/judging/keymap";
import { PromptComposer, type PromptTags } from "./prompt-composer";
import { StreamingCard, type ColumnState } from "./streaming-card";
import { ChosenResponse, EndDialogueButton, LastTurn, SkippedTurn, WriterHeader } from "./writer-parts";
import { EMPTY_COLUMN, SIDES, useTurnStream, type Turn } from "./use-turn-stream";

export type WriterActions = {
  startDialogue: (input: unknown) => Promise<ActionResult<StartedTurn>>;
  startNextTurn: (dialogueId: string, input: unknown) => Promise<ActionResult<StartedTurn>>;
  endDialogue: (dialogueId: string) => Promise<ActionResult<EndedDialogue>>;
  submit: (input: unknown) => Promise<ActionResult<JudgementView>>;
};

function columnOf(stored: { id: string; content: string } | null): ColumnState {
  return stored ? { status: "done", text: stored.content, responseId: stored.id, error: null } : EMPTY_COLUMN;
}

/** The open dialogue as the server has it: its last turn is the one on screen. */
function turnFromView(dialogue: DialogueView | null): Turn | null {
  const last = dialogue?.turns.at(-1);
  if (!last) return null;
  return {
    comparisonId: last.comparisonId,
    turnIndex: last.turnIndex,
    context: last.context,
    prompt: last.prompt,
    columns: { left: columnOf(last.left), right: columnOf(last.right) },
    assignmentId: last.left && last.right ? last.assignmentId : null,
    judgement: last.judgement,
    skipped: last.assignmentStatus === "skipped",
  };
}

export function DialogueWriter({ desk, actions }: { desk: WritingDesk; actions: WriterActions }) {
  const { batch } = desk;
  const safetyTags = useMemo(
    () => (batch.focus === "safety" ? { riskCategories: batch.riskCategories, attackVectors: batch.attackVectors } : null),
    [batch],
  );
  const { turn, setTurn, retry, stopAll } = useTurnStream(turnFromView(desk.dialogue));
  const [dialogueId, setDialogueId] = useState<string | null>(desk.dialogue?.id ?? null);
  const [ended, setEnded] = useState<EndedDialogue | null>(null);
  const [draft, setDraft] = useState("");
  const [tags, setTags] = useState<PromptTags>(() => {
    const last = desk.dialogue?.turns.at(-1);
    return { riskCategory: last?.riskCategory ?? "", attackVector: last?.attackVector ?? "" };
  });
  const [busy, setBusy] = useState(false);
  const [composerError, setComposerError] = useState<string | null>(null);
  const [pageNotice, setPageNotice] = useState<Notice>(null);
  const [guidelinesOpen, setGuidelinesOpen] = useState(false);
  const [raw, setRaw] = useState(false);
  const composerRef = useRef<HTMLTextAreaElement | null>(null);

  const assignmentId = turn?.assignmentId ?? null;
  const judging = !!turn && !!assignmentId && !turn.judgement && !turn.skipped;
  const sampling = !!turn && !assignmentId && !turn.skipped;
  const lastTurn = !!turn && turn.turnIndex + 1 >= batch.maxTurns;
  const composing = !turn || !!turn.judgement;
  const failedSides = useMemo(() => (turn ? SIDES.filter((side) => turn.columns[side].status === "error") : []), [turn]);

  const loop = useJudging<JudgementView>({
    assignmentId: judging ? assignmentId : null,
    requireSafety: batch.requireSafety,
    send: actions.submit,
    onSaved: (_saved, input) => {
      setTurn((current) =>
        current && current.assignmentId === input.assignmentId ? { ...current, judgement: { chosen: input.chosen, degree: input.degree } } : current,
      );
      return { tone: "success", text: `Saved: ${SIDE_NAME[input.chosen]} ${DEGREE_LABELS[input.degree].toLowerCase()}.` };
    },
  });
  const { form } = loop;

  const sendPrompt = useCallback(async () => {
    const prompt = draft.trim();
    if (!prompt || busy) return;
    const tagInput = safetyTags ? { riskCategory: tags.riskCategory || undefined, attackVector: tags.attackVector || undefined } : {};
    const continuing = !!dialogueId && !!turn?.judgement && !ended;
    setBusy(true);
    setComposerError(null);
    const result = await attempt(() =>
      continuing ? actions.startNextTurn(dialogueId, { prompt, ...tagInput }) : actions.startDialogue({ batchId: batch.id, prompt, ...tagInput }),
    );
    setBusy(false);
    if (!result) return setComposerError("Could not reach the server. Your text is kept; try again.");
    if (!result.ok) return setComposerError(result.error.message);
    let context: Message[] = [];
    if (continuing && turn?.judgement) {
      context = [...turn.context, { role: "user", content: turn.prompt }, { role: "assistant", content: turn.columns[turn.judgement.chosen].text }];
    }
    setDialogueId(result.value.dialogueId);
    setEnded(null);
    setTurn({
      comparisonId: result.value.comparisonId,
      turnIndex: result.value.turnIndex,
      context,
      prompt,
      columns: { left: { ...EMPTY_COLUMN }, right: { ...EMPTY_COLUMN } },
      assignmentId: null,
      judgement: null,
      skipped: false,
    });
    setDraft("");
    loop.setNotice(null);
    window.scrollTo({ top: 0 });
  }, [draft, busy, safetyTags, tags, dialogueId, turn, ended, actions, batch.id, setTurn, loop]);

  const endCurrent = useCallback(async () => {
    if (!dialogueId || busy) return;
    setBusy(true);
    const result = await attempt(() => actions.endDialogue(dialogueId));
    setBusy(false);
    if (!result || !result.ok)
      return setPageNotice({ tone: "error", text: result ? result.error.message : "Could not reach the server. Try ending the dialogue again." });
    stopAll();
    setEnded(result.value);
    setDialogueId(null);
    setTurn(null);
    setPageNotice(null);
    setComposerError(null);
    window.scrollTo({ top: 0 });
  }, [dialogueId, busy, actions, stopAll, setTurn]);

  const onAction = useCallback(
    (action: JudgingAction): boolean => {
      if (busy || loop.phase === "confirm-unsafe") return false;
      if (action.kind === "guidelines") setGuidelinesOpen((open) => !open);
      else if (action.kind === "raw") setRaw((r) => !r);
      else if (judging) return loop.act(action);
      else if (action.kind === "retry" && sampling && failedSides.length > 0) retry(failedSides);
      else if (action.kind === "next-turn" && composing && !(turn && lastTurn)) composerRef.current?.focus();
      else if (action.kind === "end" && dialogueId && (composing || failedSides.length > 0 || turn?.skipped)) void endCurrent();
      else if (action.kind === "submit" && dialogueId && lastTurn && turn?.judgement) void endCurrent();
      else return false;
      return true;
    },
    [busy, loop, judging, sampling, failedSides, retry, composing, turn, lastTurn, dialogueId, endCurrent],
  );
  useShortcuts(onAction);

  const composer = (label: string, hint: string, autoFocus: boolean) => (
    <PromptComposer
      label={label}
      hint={hint}
      value={draft}
      onChange={setDraft}
      tags={tags}
      onTags={setTags}
      tagLists={safetyTags}
      busy={busy}
      error={composerError}
      onSubmit={() => void sendPrompt()}
      textareaRef={composerRef}
      autoFocus={autoFocus}
    />
  );

  return (
    <div
      className="mx-auto max-w-7xl px-3 pt-3 sm:px-6"
      style={{ paddingBottom: turn && !turn.judgement ? "calc(var(--decision-bar-height, 11rem) + 1.5rem)" : "6rem" }}
      data-testid="writer"
      data-phase={judging ? "judging" : sampling ? "sampling" : "composing"}
    >
      <WriterHeader batch={batch} turnIndex={turn ? turn.turnIndex + (turn.judgement && !lastTurn ? 1 : 0) : null} lastTurn={lastTurn} />
      <GuidelinesPanel guidelines={desk.guidelines} open={guidelinesOpen} onOpenChange={setGuidelinesOpen} />

      {!turn && (
        <>
          {ended ? (
            <div className="mt-6 rounded-lg border border-teal-200 bg-teal-50 px-4 py-3 text-sm text-teal-900" role="status" data-testid="ended">
              Dialogue saved: {ended.turns} turn{ended.turns === 1 ? "" : "s"}. Write a new prompt to start another one.
            </div>
          ) : (
            <p className="mt-6 max-w-3xl text-[15px] leading-relaxed text-stone-700">
              Write a prompt. Two models answer it side by side; choose the better answer, then continue the conversation (up to {batch.maxTurns} turn
              {batch.maxTurns === 1 ? "" : "s"}) or end it.
            </p>
          )}
          {composer(
            "Your prompt",
            safetyTags
              ? "An adversarial prompt for this safety batch; tag it with a risk category and an attack vector."
              : "What you would ask an assistant.",
            true,
          )}
        </>
      )}

      {turn && !turn.judgement && (
        <>
          <DialogueContext context={turn.context} prompt={turn.prompt} />
          {judging ? (
            <JudgingCards
              left={turn.columns.left.text}
              right={turn.columns.right.text}
              form={form}
              requireSafety={batch.requireSafety}
              raw={raw}
              onRaw={() => setRaw((r) => !r)}
            />
          ) : (
            <ResponsePair
              card={(side) => <StreamingCard side={side} name={SIDE_NAME[side]} column={turn.columns[side]} onRetry={() => retry([side])} />}
            />
          )}
          {turn.skipped ? (
            <SkippedTurn onEnd={() => void endCurrent()} busy={busy} />
          ) : (
            <DecisionBar
              chosen={form.chosen}
              degree={form.degree}
              safetyBin={form.safetyBin}
              missing={form.missing}
              busy={loop.busy || busy}
              locked={!judging}
              notice={
                judging
                  ? (loop.notice ?? pageNotice)
                  : failedSides.length > 0
                    ? { tone: "error", text: "A response failed. Retry it (R) or end the dialogue (E); nothing is judged until both are complete." }
                    : { tone: "info", text: "Both models are answering. You judge once both responses are complete." }
              }
              onChoose={form.setChosen}
              onDegree={form.setDegree}
              onSubmit={loop.submit}
            />
          )}
        </>
      )}

      {turn && turn.judgement && (
        <>
          <DialogueContext context={turn.context} prompt={turn.prompt} />
          <ChosenResponse name={SIDE_NAME[turn.judgement.chosen]} degree={turn.judgement.degree} content={turn.columns[turn.judgement.chosen].text} />
          {(loop.notice ?? pageNotice) && (
            <p
              className={`mt-3 text-sm ${(loop.notice ?? pageNotice)!.tone === "error" ? "text-red-700" : "text-teal-800"}`}
              role="status"
              data-testid="notice"
            >
              {(loop.notice ?? pageNotice)!.text}
            </p>
          )}
          {lastTurn ? (
            <LastTurn maxTurns={batch.maxTurns} busy={busy} onEnd={() => void endCurrent()} />
          ) : (
            <>
              {composer(
                "Your next message",
                `Response ${SIDE_NAME[turn.judgement.chosen]}, the one you chose, is now the assistant's turn. Press N to write, E to end the dialogue here.`,
                false,
              )}
              <EndDialogueButton busy={busy} onEnd={() => void endCurrent()} />
            </>
          )}
        </>
      )}

      {loop.phase === "confirm-unsafe" && form.chosen && (
        <UnsafeChoiceDialog sideName={SIDE_NAME[form.chosen]} onCancel={loop.cancelConfirm} onConfirm={loop.confirmUnsafe} />
      )}
    </div>
  );
}
