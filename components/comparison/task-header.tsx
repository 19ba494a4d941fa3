// The line above a comparison: the batch (the page's heading), progress, and the lease's time left (drawn once the
// page runs in the browser, so the server's and the browser's render agree).
import type { TaskView } from "@/server/tasks/task-view";
import type { AnnotatorProgress } from "@/server/tasks/queries";
import { Button } from "@/components/ui/button";

function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}

export function TaskHeader(props: { task: TaskView; progress: AnnotatorProgress; now: number | null; revising: boolean; onSkip?: () => void }) {
  const { task, progress, now, revising } = props;
  const remaining = now === null ? null : new Date(task.leaseExpiresAt).getTime() - now;
  const expired = remaining !== null && remaining <= 0;
  return (
    <>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-stone-700">
        <h1 className="text-base font-semibold text-stone-900">{task.batch.name}</h1>
        <span className="rounded-full bg-stone-100 px-2 py-0.5 text-xs uppercase tracking-wide text-stone-700">{task.batch.focus}</span>
        <span data-testid="progress">
          Judged today <strong className="text-stone-900">{progress.judgedToday}</strong>
          {progress.neededInBatch !== null && (
            <>
              {" · "}Still needed in batch <strong className="text-stone-900">{progress.neededInBatch}</strong>
            </>
          )}
        </span>
        {revising && <strong className="text-amber-800">Correcting your last judgement</strong>}
        <span className={`ml-auto tabular-nums ${remaining !== null && remaining < 120_000 ? "text-amber-800" : ""}`} data-testid="lease">
          {remaining === null ? "" : expired ? "Lease expired" : `Lease ${formatRemaining(remaining)}`}
        </span>
        {props.onSkip && (
          <Button variant="quiet" className="min-h-11 sm:hidden" onClick={props.onSkip}>
            Skip
          </Button>
        )}
      </div>
      {expired && !revising && (
        <div role="alert" className="mt-3 rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900">
          Your time on this comparison ran out. You can still submit: the judgement is kept if no one else has taken it meanwhile, and you will be
          told if it was not.
        </div>
      )}
    </>
  );
}
