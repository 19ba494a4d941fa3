"use client";
// Generation of the missing responses: start, a progress bar that follows the job in Postgres, the items that
// failed with the endpoint's error, and a retry that samples them again with the same draw. The job follows the
// batch: paused with it, cancelled when it closes; the panel says so.
import { useEffect, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import type { ActionResult } from "@/server/action-result";
import type { GenerationStatus } from "@/server/generation/queries";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

const POLL_MS = 1000;

function isLive(status: GenerationStatus): boolean {
  return !!status.job && (status.job.status === "queued" || status.job.status === "running");
}

/** What a job in this state means for the admin, when it needs saying. */
const JOB_NOTES: Partial<Record<string, string>> = {
  paused: "Paused with the batch: no model calls are made and nothing is stored. It carries on, with the same draws, when the batch is resumed.",
  cancelled: "Cancelled: the batch was closed, so nothing more is generated or stored for it.",
};

export function GenerationPanel(props: {
  batchId: string;
  /** The batch's lifecycle status: a paused batch generates nothing until it is resumed. */
  batchStatus: string;
  initial: GenerationStatus;
  readOnly: boolean;
  start: (batchId: string) => Promise<ActionResult<unknown>>;
  retry: (batchId: string) => Promise<ActionResult<unknown>>;
}) {
  const router = useRouter();
  const [status, setStatus] = useState(props.initial);
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const live = isLive(status);
  const { job } = status;

  // A new server render (after saving variants, importing, …) brings fresher numbers.
  const [rendered, setRendered] = useState(props.initial);
  if (rendered !== props.initial) {
    setRendered(props.initial);
    setStatus(props.initial);
  }

  useEffect(() => {
    if (!live) return;
    let stopped = false;
    const timer = setInterval(async () => {
      try {
        const response = await fetch(`/api/v1/batches/${props.batchId}/generation`, { cache: "no-store" });
        if (!response.ok || stopped) return;
        setStatus((await response.json()) as GenerationStatus);
      } catch {
        // A missed poll is fine: the next one catches up.
      }
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [live, props.batchId]);

  // A job that ended since the page was rendered changes counts, activation and history: render the page again.
  // (Outside any transition: a refresh asked for inside the action's transition can be dropped.)
  const jobId = job?.id;
  const serverSawEnd = !!props.initial.job && props.initial.job.id === jobId && !isLive(props.initial);
  useEffect(() => {
    if (jobId && !live && !serverSawEnd) router.refresh();
  }, [jobId, live, serverSawEnd, router]);

  function run(action: (batchId: string) => Promise<ActionResult<unknown>>) {
    startTransition(async () => {
      setError(null);
      const result = await action(props.batchId);
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      const response = await fetch(`/api/v1/batches/${props.batchId}/generation`, { cache: "no-store" });
      if (response.ok) setStatus((await response.json()) as GenerationStatus);
    });
  }

  const variantsReady = status.modelVariants.filter((v) => v.active && v.live).length >= 2;
  const batchPaused = props.batchStatus === "paused";
  const canStart = !props.readOnly && !batchPaused && !live && status.lackingResponses > 0 && variantsReady;
  const note = job ? JOB_NOTES[job.status] : undefined;
  return (
    <div className="space-y-3 rounded-lg border border-stone-200 bg-white p-4" data-testid="generation-panel">
      <p className="text-sm text-stone-700" data-testid="lacking-responses">
        {status.lackingResponses === 0
          ? `Every comparison has its two responses (${status.comparisons.toLocaleString("en")} in all).`
          : `${status.lackingResponses.toLocaleString("en")} of ${status.comparisons.toLocaleString("en")} comparisons still lack their two responses.`}
      </p>
      {job && (
        <div>
          <div className="flex flex-wrap items-baseline gap-x-3 text-sm text-stone-600">
            <span className="font-medium text-stone-900" data-testid="generation-job-status">
              Job {job.status}
            </span>
            <span className="tabular-nums">
              {job.done.toLocaleString("en")} done · {job.failed.toLocaleString("en")} failed · {job.pending.toLocaleString("en")} pending of{" "}
              {job.total.toLocaleString("en")}
            </span>
            <span className="ml-auto font-medium tabular-nums text-stone-900" data-testid="generation-percent">
              {job.percent}%
            </span>
          </div>
          <div
            className="mt-1.5 h-2 w-full overflow-hidden rounded-full bg-stone-100"
            role="progressbar"
            aria-label="Generation progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={job.percent}
          >
            <div className="flex h-full">
              <div className="h-full bg-teal-600 transition-all" style={{ width: `${job.total ? (job.done / job.total) * 100 : 100}%` }} />
              <div className="h-full bg-red-400 transition-all" style={{ width: `${job.total ? (job.failed / job.total) * 100 : 0}%` }} />
            </div>
          </div>
          {note && (
            <p className="mt-2 text-sm text-stone-600" data-testid="generation-job-note">
              {note}
            </p>
          )}
        </div>
      )}
      <div className="flex flex-wrap items-center gap-3">
        {!props.readOnly && (live || status.lackingResponses > 0) && (
          <Button variant="primary" onClick={() => run(props.start)} disabled={pending || !canStart} data-testid="start-generation">
            {live ? "Generating…" : "Start generation"}
          </Button>
        )}
        {!props.readOnly && !batchPaused && job && job.failed > 0 && !live && (
          <Button onClick={() => run(props.retry)} disabled={pending} data-testid="retry-generation">
            Retry {job.failed} failed
          </Button>
        )}
        {!variantsReady && status.lackingResponses > 0 && <span className="text-xs text-stone-600">Pick two or more model variants first.</span>}
        {batchPaused && !props.readOnly && status.lackingResponses > 0 && (
          <span className="text-xs text-stone-600">The batch is paused: resume it to generate.</span>
        )}
        {error && <Notice tone="error">{error}</Notice>}
      </div>
      {job && job.errors.length > 0 && (
        <div>
          <h3 className="text-sm font-medium text-stone-800">Failed items</h3>
          <ul
            className="mt-1 max-h-64 divide-y divide-stone-100 overflow-y-auto rounded-md border border-stone-200 text-sm"
            data-testid="generation-errors"
          >
            {job.errors.map((item) => (
              <li key={item.itemId} className="px-3 py-2">
                <p className="truncate text-stone-800">{item.prompt}</p>
                <p className="font-mono text-xs text-red-700">
                  {item.error}{" "}
                  <span className="text-stone-600">
                    · {item.attempts} HTTP attempt{item.attempts === 1 ? "" : "s"}
                  </span>
                </p>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
