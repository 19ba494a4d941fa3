"use client";
// The comparison page: two responses side by side, a forced choice, a degree, safety labels, all by keyboard.
import { useCallback, useEffect, useRef, useState } from "react";
import type { TaskView } from "@/server/tasks/task-view";
import type { AnnotatorProgress } from "@/server/tasks/queries";
import type { ActionResult } from "@/server/action-result";
import {
  DEGREES,
  DEGREE_LABELS,
  SKIP_REASONS,
  type Degree,
  SKIP_REASON_LABELS,
  type Side,
  type SkipReason,
} from "@/lib/protocol";
import { Button } from "@/components/ui/button";
import { Kbd } from "@/components/ui/kbd";
import { DecisionBar, type Notice } from "./decision-bar";
import { DialogueContext } from "./dialogue-context";
import { GuidelinesPanel } from "./guidelines-panel";
import { UnsafeChoiceDialog } from "@/components/comparison/unsafe-choice-dialog";
import { useJudgementForm } from "@/components/comparison/use-judgement-form";
import { ModalDialog } from "./modal-dialog";
import { ResponseCard } from "./response-card";

type Claimed = { task: TaskView | null; progress: AnnotatorProgress };

export type ComparisonActions = {
  claimNext: () => Promise<ActionResult<Claimed>>;
  /** Records the judgement and returns the next task with it: one round trip between Enter and the next pair. */
  submitAndNext: (input: unknown) => Promise<ActionResult<{ next: Claimed }>>;
  skip: (input: unknown) => Promise<ActionResult<unknown>>;
};

type Phase = "judging" | "confirm-unsafe" | "skipping" | "busy" | "lost" | "reconnecting";

const RECONNECTING: Notice = {
  tone: "info",
  text: "Reconnecting… The server cannot be reached right now. Your choices are kept and will be sent as soon as it answers.",
};

type JudgementInput = { assignmentId: string; chosen: Side; degree: Degree; safety: unknown; idempotencyKey: string; timeSpentMs: number };
type Pending = { kind: "submit"; input: JudgementInput } | { kind: "claim"; afterNotice: Notice };

/** Whether a failed call should be tried again by itself: the server (or its database) cannot be reached. */
function unreachable(result: ActionResult<unknown> | null): boolean {
  return result === null || (!result.ok && result.error.code === "unavailable");
}

const SIDE_NAME: Record<Side, string> = { left: "A", right: "B" };

function newKey(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

export function ComparisonView({ initial, actions }: { initial: Claimed; actions: ComparisonActions }) {
  const [task, setTask] = useState<TaskView | null>(initial.task);
  const [progress, setProgress] = useState<AnnotatorProgress>(initial.progress);
  const [phase, setPhase] = useState<Phase>("judging");
  const [notice, setNotice] = useState<Notice>(null);
  const [guidelinesOpen, setGuidelinesOpen] = useState(false);
  const [skipNote, setSkipNote] = useState("");
  const [now, setNow] = useState(() => Date.now());
  // A fresh idempotency key and clock per assignment; a retry of the same submit reuses both.
  const keyRef = useRef("");
  const startedRef = useRef(0);
  const assignmentId = task?.assignmentId;
  useEffect(() => {
    keyRef.current = newKey();
    startedRef.current = Date.now();
  }, [assignmentId]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const requireSafety = task?.batch.requireSafety ?? false;
  const { chosen, setChosen, degree, setDegree, safety, toggleSafety, safetyBin, missing, prepare: prepareJudgement, reset: resetJudgement } =
    useJudgementForm(requireSafety);
  const leaseRemaining = task ? new Date(task.leaseExpiresAt).getTime() - now : 0;
  const leaseExpired = !!task && leaseRemaining <= 0;


  const showNext = useCallback(
    (next: Claimed, afterNotice: Notice) => {
      setTask(next.task);
      setProgress(next.progress);
      resetJudgement();
      setSkipNote("");
      setNotice(next.task ? afterNotice : null);
      setPhase("judging");
      window.scrollTo({ top: 0 });
    },
    [resetJudgement],
  );

  // What to try again while reconnecting: the judgement waiting to be sent, or the claim of the next task. The same
  // idempotency key goes with every attempt, so a judgement that did land before the connection dropped is not
  // recorded twice.
  const pendingRef = useRef<Pending | null>(null);
  const [attempts, setAttempts] = useState(0);

  const reconnect = useCallback((pending: Pending) => {
    pendingRef.current = pending;
    setNotice(RECONNECTING);
    setPhase("reconnecting");
  }, []);

  const loadNext = useCallback(
    async (afterNotice: Notice): Promise<void> => {
      setPhase("busy");
      let result: Awaited<ReturnType<ComparisonActions["claimNext"]>> | null = null;
      try {
        result = await actions.claimNext();
      } catch {
        result = null;
      }
      if (unreachable(result)) return reconnect({ kind: "claim", afterNotice });
      setAttempts(0);
      if (!result!.ok) {
        setNotice({ tone: "error", text: result!.error.message });
        setPhase("judging");
        return;
      }
      showNext(result!.value, afterNotice);
    },
    [actions, showNext, reconnect],
  );

  const send = useCallback(
    async (input: JudgementInput): Promise<void> => {
      setPhase("busy");
      let result: Awaited<ReturnType<ComparisonActions["submitAndNext"]>> | null = null;
      try {
        result = await actions.submitAndNext(input);
      } catch {
        result = null;
      }
      if (unreachable(result)) return reconnect({ kind: "submit", input });
      setAttempts(0);
      if (result!.ok) {
        showNext(result!.value.next, { tone: "success", text: `Saved: ${SIDE_NAME[input.chosen]} ${DEGREE_LABELS[input.degree].toLowerCase()}.` });
        return;
      }
      const { code, message } = result!.error;
      if (code === "lease_expired" || code === "batch_not_active" || code === "not_found") {
        setNotice({ tone: "error", text: `${message} Press Enter for the next comparison.` });
        setPhase("lost");
        return;
      }
      setNotice({ tone: "error", text: message });
      setPhase("judging");
    },
    [actions, showNext, reconnect],
  );

  const retryPending = useCallback(() => {
    const pending = pendingRef.current;
    if (pending?.kind === "submit") void send(pending.input);
    else if (pending?.kind === "claim") void loadNext(pending.afterNotice);
  }, [send, loadNext]);

  // While reconnecting, try again by itself: after 1 s, then up to every 10 s (Enter tries at once).
  useEffect(() => {
    if (phase !== "reconnecting") return;
    const timer = setTimeout(() => {
      setAttempts((n) => n + 1);
      retryPending();
    }, Math.min(10_000, 1000 * 2 ** attempts));
    return () => clearTimeout(timer);
  }, [phase, attempts, retryPending]);

  const submit = useCallback(
    async (confirmed: boolean) => {
      const prepared = prepareJudgement(confirmed);
      if (!task || prepared.kind === "missing") {
        setNotice({ tone: "error", text: prepared.kind === "missing" ? prepared.message : "There is no comparison to submit." });
        return;
      }
      if (prepared.kind === "confirm") {
        setPhase("confirm-unsafe");
        return;
      }
      const { chosen, degree, safety } = prepared;
      await send({
        assignmentId: task.assignmentId,
        chosen,
        degree,
        safety,
        idempotencyKey: keyRef.current,
        timeSpentMs: Date.now() - startedRef.current,
      });
    },
    [task, prepareJudgement, send],
  );

  const skip = useCallback(
    async (reason: SkipReason) => {
      if (!task) return;
      setPhase("busy");
      try {
        const result = await actions.skip({ assignmentId: task.assignmentId, reason, note: skipNote || undefined });
        if (!result.ok) {
          setNotice({ tone: "error", text: result.error.message });
          setPhase("judging");
          return;
        }
        await loadNext({ tone: "info", text: `Skipped (${SKIP_REASON_LABELS[reason].toLowerCase()}).` });
      } catch {
        setNotice({ tone: "error", text: "Could not reach the server. Try skipping again." });
        setPhase("judging");
      }
    },
    [task, skipNote, actions, loadNext],
  );


  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      const typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable);
      if (typing && event.key !== "Escape") return;
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;

      if (phase === "busy") return;
      if (phase === "reconnecting") {
        if (key === "Enter") {
          event.preventDefault();
          retryPending();
        }
        return;
      }
      if (phase === "lost") {
        if (key === "Enter") {
          event.preventDefault();
          void loadNext(null);
        }
        return;
      }
      if (phase === "confirm-unsafe") {
        if (key === "Enter") {
          event.preventDefault();
          void submit(true);
        } else if (key === "Escape") {
          setPhase("judging");
        }
        return;
      }
      if (phase === "skipping") {
        const index = Number(key) - 1;
        if (Number.isInteger(index) && index >= 0 && index < SKIP_REASONS.length) {
          event.preventDefault();
          void skip(SKIP_REASONS[index]);
        } else if (key === "Escape") {
          setPhase("judging");
        }
        return;
      }
      if (!task) {
        if (key === "Enter" || key === "r") void loadNext(null);
        return;
      }
      const degreeIndex = ["1", "2", "3", "4"].indexOf(key);
      if (key === "ArrowLeft" || key === "a") setChosen("left");
      else if (key === "ArrowRight" || key === "d") setChosen("right");
      else if (degreeIndex >= 0) setDegree(DEGREES[degreeIndex]);
      else if (key === "q") toggleSafety("left", "safe");
      else if (key === "w") toggleSafety("left", "unsafe");
      else if (key === "o") toggleSafety("right", "safe");
      else if (key === "p") toggleSafety("right", "unsafe");
      else if (key === "g") setGuidelinesOpen((open) => !open);
      else if (key === "s") setPhase("skipping");
      else if (key === "Enter") void submit(false);
      else return;
      event.preventDefault();
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [phase, task, submit, skip, loadNext, retryPending, toggleSafety, setChosen, setDegree]);

  if (!task) {
    return (
      <div className="mx-auto max-w-xl px-6 py-24 text-center" data-testid="empty-state">
        <h1 className="text-xl font-semibold text-stone-900">Nothing left to judge right now</h1>
        <p className="mt-3 text-stone-600">
          Every comparison in the active batches has its judgements, or is with other annotators for the moment. Leases
          that run out come back to the pool, so there may be more soon.
        </p>
        <p className="mt-2 text-sm text-stone-500">Judged today: {progress.judgedToday}</p>
        <Button className="mt-6" onClick={() => void loadNext(null)} disabled={phase === "busy"}>
          Check again <Kbd>Enter</Kbd>
        </Button>
        {notice && <p className="mt-4 text-sm text-red-700">{notice.text}</p>}
      </div>
    );
  }

  return (
    <div className="mx-auto max-w-7xl px-4 pb-56 pt-4 sm:px-6" data-testid="comparison" data-assignment-id={task.assignmentId}>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-stone-600">
        <span className="font-medium text-stone-900">{task.batch.name}</span>
        <span className="rounded-full bg-stone-100 px-2 py-0.5 text-xs uppercase tracking-wide text-stone-600">{task.batch.focus}</span>
        <span data-testid="progress">
          Judged today <strong className="text-stone-900">{progress.judgedToday}</strong>
          {progress.neededInBatch !== null && (
            <>
              {" · "}Still needed in batch <strong className="text-stone-900">{progress.neededInBatch}</strong>
            </>
          )}
        </span>
        <span className={`ml-auto tabular-nums ${leaseExpired ? "text-amber-700" : leaseRemaining < 120_000 ? "text-amber-700" : ""}`}>
          {leaseExpired ? "Lease expired" : `Lease ${formatRemaining(leaseRemaining)}`}
        </span>
      </div>

      {leaseExpired && (
        <div role="alert" className="mt-3 rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900">
          Your time on this comparison ran out. You can still submit: the judgement is kept if no one else has taken it
          meanwhile, and you will be told if it was not.
        </div>
      )}

      <GuidelinesPanel guidelines={task.guidelines} open={guidelinesOpen} onOpenChange={setGuidelinesOpen} />

      <DialogueContext context={task.context} prompt={task.prompt} />

      <div className="mt-4 grid gap-4 md:grid-cols-2">
        {(["left", "right"] as const).map((side) => (
          <ResponseCard
            key={side}
            side={side}
            name={SIDE_NAME[side]}
            content={task[side].content}
            chosen={chosen === side}
            safety={safety[side]}
            requireSafety={requireSafety}
            onChoose={() => setChosen(side)}
            onSafety={(label) => toggleSafety(side, label)}
          />
        ))}
      </div>

      <DecisionBar
        chosen={chosen}
        degree={degree}
        safetyBin={safetyBin}
        missing={missing}
        busy={phase === "busy" || phase === "reconnecting"}
        notice={notice}
        onChoose={setChosen}
        onDegree={setDegree}
        onSubmit={() => void submit(false)}
        onSkip={() => setPhase("skipping")}
      />

      {phase === "confirm-unsafe" && chosen && (
        <UnsafeChoiceDialog sideName={SIDE_NAME[chosen]} onCancel={() => setPhase("judging")} onConfirm={() => void submit(true)} />
      )}

      {phase === "skipping" && (
        <ModalDialog title="Skip this comparison" onCancel={() => setPhase("judging")}>
          <p className="text-stone-600">Why? You will not be given this comparison again.</p>
          <label className="mt-3 block text-sm text-stone-700">
            Note (optional)
            <input
              className="mt-1 w-full rounded-md border border-stone-300 px-2 py-1 text-sm"
              value={skipNote}
              onChange={(event) => setSkipNote(event.target.value)}
              maxLength={2000}
            />
          </label>
          <ul className="mt-3 space-y-1">
            {SKIP_REASONS.map((reason, index) => (
              <li key={reason}>
                <Button variant="quiet" className="w-full justify-between" onClick={() => void skip(reason)}>
                  {SKIP_REASON_LABELS[reason]} <Kbd>{index + 1}</Kbd>
                </Button>
              </li>
            ))}
          </ul>
        </ModalDialog>
      )}
    </div>
  );
}
