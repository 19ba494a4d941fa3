"use client";
// The writing page: the annotator writes a prompt, two models answer it live side by side, the annotator judges the
// pair exactly as on /annotate (forced choice, degree, safety labels, by keyboard), then writes the next turn (the
// chosen response becomes the assistant's turn) or ends the dialogue. A reload resumes the open dialogue.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { DialogueView, WritingDesk, WrittenTurnView } from "@/server/dialogues/queries";
import type { StartedTurn } from "@/server/dialogues/start-turn";
import type { EndedDialogue } from "@/server/dialogues/end-dialogue";
import type { TurnEvent } from "@/server/dialogues/stream-turn-responses";
import type { ActionResult } from "@/server/action-result";
import { DEGREES, DEGREE_LABELS, type Degree, type Message, type Side } from "@/lib/protocol";
import { DecisionBar, type Notice } from "@/components/comparison/decision-bar";
import { DialogueContext } from "@/components/comparison/dialogue-context";
import { GuidelinesPanel } from "@/components/comparison/guidelines-panel";
import { UnsafeChoiceDialog } from "@/components/comparison/unsafe-choice-dialog";
import { useJudgementForm } from "@/components/comparison/use-judgement-form";
import { ModalDialog } from "@/components/comparison/modal-dialog";
import { ResponseCard } from "@/components/comparison/response-card";
import { MarkdownView } from "@/components/markdown/markdown-view";
import { Button } from "@/components/ui/button";
import { Kbd } from "@/components/ui/kbd";
import { PromptComposer, type PromptTags } from "./prompt-composer";
import { StreamingCard, type ColumnState } from "./streaming-card";
import { TurnStreamRefused, readTurnEvents } from "./turn-stream";

export type WriterActions = {
  startDialogue: (input: unknown) => Promise<ActionResult<StartedTurn>>;
  startNextTurn: (dialogueId: string, input: unknown) => Promise<ActionResult<StartedTurn>>;
  endDialogue: (dialogueId: string) => Promise<ActionResult<EndedDialogue>>;
  submit: (input: unknown) => Promise<ActionResult<unknown>>;
};

type Turn = {
  comparisonId: string;
  turnIndex: number;
  context: Message[];
  prompt: string;
  columns: Record<Side, ColumnState>;
  assignmentId: string | null;
  judgement: { chosen: Side; degree: Degree } | null;
  skipped: boolean;
};

type Phase = "idle" | "busy" | "confirm-unsafe";

const SIDES: Side[] = ["left", "right"];
const SIDE_NAME: Record<Side, string> = { left: "A", right: "B" };
const EMPTY_COLUMN: ColumnState = { status: "waiting", text: "", responseId: null, error: null };

function newKey(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

function columnOf(stored: { id: string; content: string } | null): ColumnState {
  return stored ? { status: "done", text: stored.content, responseId: stored.id, error: null } : EMPTY_COLUMN;
}

/** The open dialogue as the server has it: its last turn is the one on screen. */
function turnFromView(dialogue: DialogueView | null): Turn | null {
  const last: WrittenTurnView | undefined = dialogue?.turns.at(-1);
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

function tagsFromView(dialogue: DialogueView | null): PromptTags {
  const last = dialogue?.turns.at(-1);
  return { riskCategory: last?.riskCategory ?? "", attackVector: last?.attackVector ?? "" };
}

export function DialogueWriter({ desk, actions }: { desk: WritingDesk; actions: WriterActions }) {
  const { batch } = desk;
  const safetyTags = useMemo(
    () => (batch.focus === "safety" ? { riskCategories: batch.riskCategories, attackVectors: batch.attackVectors } : null),
    [batch],
  );
  const [dialogueId, setDialogueId] = useState<string | null>(desk.dialogue?.id ?? null);
  const [turn, setTurn] = useState<Turn | null>(() => turnFromView(desk.dialogue));
  const [ended, setEnded] = useState<EndedDialogue | null>(null);
  const [draft, setDraft] = useState("");
  const [tags, setTags] = useState<PromptTags>(() => tagsFromView(desk.dialogue));
  const [phase, setPhase] = useState<Phase>("idle");
  const [notice, setNotice] = useState<Notice>(null);
  const [composerError, setComposerError] = useState<string | null>(null);
  const [guidelinesOpen, setGuidelinesOpen] = useState(false);
  const composerRef = useRef<HTMLTextAreaElement | null>(null);
  const streamsRef = useRef(new Set<AbortController>());
  // A fresh idempotency key and clock per assignment; a retry of the same submit reuses both.
  const keyRef = useRef("");
  const startedRef = useRef(0);

  const comparisonId = turn?.comparisonId ?? null;
  const assignmentId = turn?.assignmentId ?? null;
  const judging = !!turn && !!assignmentId && !turn.judgement && !turn.skipped;
  const sampling = !!turn && !assignmentId && !turn.skipped;
  const lastTurn = !!turn && turn.turnIndex + 1 >= batch.maxTurns;
  const failedSides = useMemo(() => (turn ? SIDES.filter((side) => turn.columns[side].status === "error") : []), [turn]);

  useEffect(() => {
    keyRef.current = newKey();
    startedRef.current = Date.now();
  }, [assignmentId]);

  // Streams still running when the page goes away are cancelled (the server then stops sampling).
  useEffect(() => {
    const streams = streamsRef.current;
    return () => streams.forEach((controller) => controller.abort());
  }, []);

  const applyEvent = useCallback((forComparison: string, event: TurnEvent) => {
    setTurn((current) => {
      if (!current || current.comparisonId !== forComparison) return current;
      if ("ready" in event) return { ...current, assignmentId: event.assignmentId };
      const column = current.columns[event.side];
      let next: ColumnState;
      if ("delta" in event) next = { ...column, status: "streaming", text: column.text + event.delta };
      else if ("done" in event) next = { status: "done", text: event.content, responseId: event.responseId, error: null };
      else next = { ...column, status: "error", error: event.error };
      return { ...current, columns: { ...current.columns, [event.side]: next } };
    });
  }, []);

  const failColumns = useCallback((forComparison: string, sides: Side[], message: string) => {
    setTurn((current) => {
      if (!current || current.comparisonId !== forComparison) return current;
      const columns = { ...current.columns };
      for (const side of sides) if (columns[side].status !== "done") columns[side] = { ...columns[side], status: "error", error: message };
      return { ...current, columns };
    });
  }, []);

  /** Reads one stream (both columns, or one on retry) into the turn; a cut connection shows as a retryable error. */
  const runStream = useCallback(
    async (forComparison: string, sides: Side[], retry: boolean) => {
      const controller = new AbortController();
      streamsRef.current.add(controller);
      const finished = new Set<Side>();
      try {
        const events = retry
          ? readTurnEvents(`/api/v1/comparisons/${forComparison}/retry`, { method: "POST", body: { side: sides[0] }, signal: controller.signal })
          : readTurnEvents(`/api/v1/comparisons/${forComparison}/stream`, { signal: controller.signal });
        for await (const event of events) {
          if (!("ready" in event) && !("delta" in event)) finished.add(event.side);
          applyEvent(forComparison, event);
        }
        const cut = sides.filter((side) => !finished.has(side));
        if (cut.length > 0) failColumns(forComparison, cut, "The connection closed before this response was complete.");
      } catch (error) {
        if (controller.signal.aborted) return;
        const message = error instanceof TurnStreamRefused ? error.message : "Could not reach the server. Check your connection, then retry.";
        failColumns(forComparison, sides.filter((side) => !finished.has(side)), message);
      } finally {
        streamsRef.current.delete(controller);
      }
    },
    [applyEvent, failColumns],
  );

  // A turn that still lacks a response (just started, or resumed after a reload) is sampled as soon as it is shown.
  const needsSampling = sampling && !!turn && SIDES.some((side) => turn.columns[side].status === "waiting");
  useEffect(() => {
    if (!comparisonId || !needsSampling) return;
    const start = setTimeout(() => void runStream(comparisonId, SIDES, false), 0);
    return () => clearTimeout(start);
    // Only when the turn changes: retries are started by the writer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [comparisonId]);

  /** Samples failed columns again: the column starts over empty, the other one is left as it is. */
  const retry = useCallback(
    (forComparison: string, sides: Side[]) => {
      setTurn((current) => {
        if (!current || current.comparisonId !== forComparison) return current;
        const columns = { ...current.columns };
        for (const side of sides) columns[side] = { ...EMPTY_COLUMN };
        return { ...current, columns };
      });
      for (const side of sides) void runStream(forComparison, [side], true);
    },
    [runStream],
  );

  const retryFailed = useCallback(() => {
    if (comparisonId) retry(comparisonId, failedSides);
  }, [comparisonId, failedSides, retry]);

  const requireSafety = batch.requireSafety;
  const { chosen, setChosen, degree, setDegree, safety, toggleSafety, safetyBin, missing, prepare: prepareJudgement, reset: resetJudgement } =
    useJudgementForm(requireSafety);


  const submit = useCallback(
    async (confirmed: boolean) => {
      const prepared = prepareJudgement(confirmed);
      if (!turn || !assignmentId || prepared.kind === "missing") {
        setNotice({ tone: "error", text: prepared.kind === "missing" ? prepared.message : "Wait until both responses are complete." });
        return;
      }
      if (prepared.kind === "confirm") {
        setPhase("confirm-unsafe");
        return;
      }
      const { chosen, degree, safety } = prepared;
      setPhase("busy");
      try {
        const result = await actions.submit({
          assignmentId,
          chosen,
          degree,
          safety,
          idempotencyKey: keyRef.current,
          timeSpentMs: Date.now() - startedRef.current,
        });
        if (!result.ok) {
          setNotice({ tone: "error", text: result.error.message });
          return;
        }
        setTurn((current) => (current && current.assignmentId === assignmentId ? { ...current, judgement: { chosen, degree } } : current));
        setNotice({ tone: "success", text: `Saved: ${SIDE_NAME[chosen]} ${DEGREE_LABELS[degree].toLowerCase()}.` });
      } catch {
        // Same idempotency key on retry: if the first attempt did land, the retry returns it.
        setNotice({ tone: "error", text: "Could not reach the server. Your choices are kept; press Enter to retry." });
      } finally {
        setPhase("idle");
      }
    },
    [turn, assignmentId, prepareJudgement, actions],
  );

  const sendPrompt = useCallback(async () => {
    const prompt = draft.trim();
    if (!prompt || phase === "busy") return;
    const tagInput = safetyTags ? { riskCategory: tags.riskCategory || undefined, attackVector: tags.attackVector || undefined } : {};
    const continuing = !!dialogueId && !!turn?.judgement && !ended;
    setPhase("busy");
    setComposerError(null);
    try {
      const result = continuing
        ? await actions.startNextTurn(dialogueId, { prompt, ...tagInput })
        : await actions.startDialogue({ batchId: batch.id, prompt, ...tagInput });
      if (!result.ok) {
        setComposerError(result.error.message);
        return;
      }
      let context: Message[] = [];
      if (continuing && turn?.judgement) {
        const chosenText = turn.columns[turn.judgement.chosen].text;
        context = [...turn.context, { role: "user", content: turn.prompt }, { role: "assistant", content: chosenText }];
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
      resetJudgement();
      setNotice(null);
      window.scrollTo({ top: 0 });
    } catch {
      setComposerError("Could not reach the server. Your text is kept; try again.");
    } finally {
      setPhase("idle");
    }
  }, [draft, phase, safetyTags, tags, dialogueId, turn, ended, actions, batch.id, resetJudgement]);

  const endCurrent = useCallback(async () => {
    if (!dialogueId || phase === "busy") return;
    setPhase("busy");
    try {
      const result = await actions.endDialogue(dialogueId);
      if (!result.ok) {
        setNotice({ tone: "error", text: result.error.message });
        return;
      }
      streamsRef.current.forEach((controller) => controller.abort());
      setEnded(result.value);
      setDialogueId(null);
      setTurn(null);
      setNotice(null);
      setComposerError(null);
      window.scrollTo({ top: 0 });
    } catch {
      setNotice({ tone: "error", text: "Could not reach the server. Try ending the dialogue again." });
    } finally {
      setPhase("idle");
    }
  }, [dialogueId, phase, actions]);


  const composing = !turn || !!turn.judgement;
  const focusComposer = useCallback(() => composerRef.current?.focus(), []);

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      const typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable);
      if (typing) return;
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      if (phase === "busy") return;
      if (phase === "confirm-unsafe") {
        if (key === "Enter") {
          event.preventDefault();
          void submit(true);
        } else if (key === "Escape") {
          setPhase("idle");
        }
        return;
      }
      if (key === "g") setGuidelinesOpen((open) => !open);
      else if (judging) {
        const degreeIndex = ["1", "2", "3", "4"].indexOf(key);
        if (key === "ArrowLeft" || key === "a") setChosen("left");
        else if (key === "ArrowRight" || key === "d") setChosen("right");
        else if (degreeIndex >= 0) setDegree(DEGREES[degreeIndex]);
        else if (key === "q") toggleSafety("left", "safe");
        else if (key === "w") toggleSafety("left", "unsafe");
        else if (key === "o") toggleSafety("right", "safe");
        else if (key === "p") toggleSafety("right", "unsafe");
        else if (key === "Enter") void submit(false);
        else return;
      } else if (sampling && key === "r" && failedSides.length > 0) retryFailed();
      else if (composing && key === "n" && !(turn && lastTurn)) focusComposer();
      else if (dialogueId && key === "e" && (composing || failedSides.length > 0 || turn?.skipped)) void endCurrent();
      else if (dialogueId && key === "Enter" && lastTurn && turn?.judgement) void endCurrent();
      else return;
      event.preventDefault();
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [phase, judging, sampling, composing, lastTurn, turn, dialogueId, failedSides, submit, retryFailed, toggleSafety, focusComposer, endCurrent, setChosen, setDegree]);

  const turnLabel = turn ? `Turn ${turn.turnIndex + 1} of ${batch.maxTurns}` : null;

  return (
    <div className={`mx-auto max-w-7xl px-4 pt-4 sm:px-6 ${turn && !turn.judgement ? "pb-56" : "pb-24"}`} data-testid="writer" data-phase={judging ? "judging" : sampling ? "sampling" : "composing"}>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-stone-600">
        <span className="font-medium text-stone-900">{batch.name}</span>
        <span className="rounded-full bg-stone-100 px-2 py-0.5 text-xs uppercase tracking-wide text-stone-600">{batch.focus}</span>
        {turnLabel && (
          <span data-testid="turn-label">
            {turnLabel}
            {lastTurn && <span className="text-amber-700"> · last turn</span>}
          </span>
        )}
        <a href="/annotate/write" className="ml-auto text-stone-500 underline-offset-2 hover:text-stone-800 hover:underline">
          All writing batches
        </a>
      </div>

      <GuidelinesPanel guidelines={desk.guidelines} open={guidelinesOpen} onOpenChange={setGuidelinesOpen} />

      {!turn && (
        <>
          {ended ? (
            <div className="mt-6 rounded-lg border border-teal-200 bg-teal-50/60 px-4 py-3 text-sm text-teal-900" role="status" data-testid="ended">
              Dialogue saved: {ended.turns} turn{ended.turns === 1 ? "" : "s"}. Write a new prompt to start another one.
            </div>
          ) : (
            <p className="mt-6 max-w-3xl text-[15px] leading-relaxed text-stone-600">
              Write a prompt. Two models answer it side by side; choose the better answer, then continue the conversation
              (up to {batch.maxTurns} turn{batch.maxTurns === 1 ? "" : "s"}) or end it.
            </p>
          )}
          <PromptComposer
            label="Your prompt"
            hint={safetyTags ? "An adversarial prompt for this safety batch; tag it with a risk category and an attack vector." : "What you would ask an assistant."}
            value={draft}
            onChange={setDraft}
            tags={tags}
            onTags={setTags}
            tagLists={safetyTags}
            busy={phase === "busy"}
            error={composerError}
            onSubmit={() => void sendPrompt()}
            textareaRef={composerRef}
            autoFocus
          />
        </>
      )}

      {turn && !turn.judgement && (
        <>
          <DialogueContext context={turn.context} prompt={turn.prompt} />
          <div className="mt-4 grid gap-4 md:grid-cols-2">
            {SIDES.map((side) =>
              judging ? (
                <ResponseCard
                  key={side}
                  side={side}
                  name={SIDE_NAME[side]}
                  content={turn.columns[side].text}
                  chosen={chosen === side}
                  safety={safety[side]}
                  requireSafety={requireSafety}
                  onChoose={() => setChosen(side)}
                  onSafety={(label) => toggleSafety(side, label)}
                />
              ) : (
                <StreamingCard
                  key={side}
                  side={side}
                  name={SIDE_NAME[side]}
                  column={turn.columns[side]}
                  onRetry={() => retry(turn.comparisonId, [side])}
                />
              ),
            )}
          </div>
          {turn.skipped ? (
            <SkippedTurn onEnd={() => void endCurrent()} busy={phase === "busy"} />
          ) : (
            <DecisionBar
              chosen={chosen}
              degree={degree}
              safetyBin={safetyBin}
              missing={missing}
              busy={phase === "busy"}
              locked={!judging}
              notice={
                judging
                  ? notice
                  : failedSides.length > 0
                    ? { tone: "error", text: "A response failed. Retry it (R) or end the dialogue (E); nothing is judged until both are complete." }
                    : { tone: "info", text: "Both models are answering. You judge once both responses are complete." }
              }
              onChoose={setChosen}
              onDegree={setDegree}
              onSubmit={() => void submit(false)}
            />
          )}
        </>
      )}

      {turn && turn.judgement && (
        <>
          <DialogueContext context={turn.context} prompt={turn.prompt} />
          <ChosenResponse name={SIDE_NAME[turn.judgement.chosen]} degree={turn.judgement.degree} content={turn.columns[turn.judgement.chosen].text} />
          {notice && (
            <p className={`mt-3 text-sm ${notice.tone === "error" ? "text-red-700" : "text-teal-800"}`} role={notice.tone === "error" ? "alert" : "status"} data-testid="notice">
              {notice.text}
            </p>
          )}
          {lastTurn ? (
            <div className="mt-4 rounded-lg border border-stone-200 bg-white p-4" data-testid="last-turn">
              <p className="text-[15px] text-stone-800">
                That was the last turn this batch allows ({batch.maxTurns} of {batch.maxTurns}). End the dialogue to save it.
              </p>
              <Button className="mt-3" variant="primary" onClick={() => void endCurrent()} disabled={phase === "busy"} data-testid="end-dialogue">
                End dialogue <Kbd>Enter</Kbd>
              </Button>
            </div>
          ) : (
            <>
              <PromptComposer
                label={`Turn ${turn.turnIndex + 2} of ${batch.maxTurns}: your next message`}
                hint={`Response ${SIDE_NAME[turn.judgement.chosen]}, the one you chose, is now the assistant's turn. Press N to write, E to end the dialogue here.`}
                value={draft}
                onChange={setDraft}
                tags={tags}
                onTags={setTags}
                tagLists={safetyTags}
                busy={phase === "busy"}
                error={composerError}
                onSubmit={() => void sendPrompt()}
                textareaRef={composerRef}
              />
              <div className="mt-3 flex justify-end">
                <Button variant="quiet" onClick={() => void endCurrent()} disabled={phase === "busy"} data-testid="end-dialogue">
                  End dialogue <Kbd>E</Kbd>
                </Button>
              </div>
            </>
          )}
        </>
      )}

      {phase === "confirm-unsafe" && chosen && (
        <UnsafeChoiceDialog sideName={SIDE_NAME[chosen]} onCancel={() => setPhase("idle")} onConfirm={() => void submit(true)} />
      )}
    </div>
  );
}

/** The response the dialogue continues with, shown as the assistant's turn. */
function ChosenResponse({ name, degree, content }: { name: string; degree: Degree; content: string }) {
  return (
    <section className="mt-3 rounded-lg border border-teal-600/40 bg-white px-4 py-3 text-[15px] leading-relaxed text-stone-800" data-testid="chosen-response">
      <div className="mb-1 text-xs font-medium uppercase tracking-wide text-teal-800">
        Assistant · response {name}, chosen ({DEGREE_LABELS[degree].toLowerCase()})
      </div>
      <MarkdownView>{content}</MarkdownView>
    </section>
  );
}

function SkippedTurn({ onEnd, busy }: { onEnd: () => void; busy: boolean }) {
  return (
    <div className="mt-4 rounded-lg border border-stone-200 bg-white p-4 text-sm text-stone-700">
      This turn was skipped, so the dialogue cannot continue from it.
      <Button className="ml-3" onClick={onEnd} disabled={busy}>
        End dialogue <Kbd>E</Kbd>
      </Button>
    </div>
  );
}
