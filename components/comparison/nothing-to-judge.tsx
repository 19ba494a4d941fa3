// The empty state of the comparison page: what is (not) left, said truthfully, with where to go next.
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Kbd } from "@/components/ui/kbd";
import type { Notice } from "@/components/judging/decision-bar";

export function NothingToJudge(props: {
  judgedToday: number;
  batchFilter: string | null;
  writableBatches: number;
  busy: boolean;
  notice: Notice;
  onCheck: () => void;
  /** While the last judgement can still be taken back. */
  onUndo?: () => void;
}) {
  return (
    <div className="mx-auto max-w-xl px-6 py-20 text-center" data-testid="empty-state">
      <h1 className="text-xl font-semibold text-stone-900">
        {props.batchFilter ? "Nothing left for you in this batch" : "Nothing left to judge right now"}
      </h1>
      <p className="mt-3 text-stone-700">
        {props.batchFilter
          ? "Every comparison of this batch has its judgements, was judged or skipped by you, or is with other annotators for the moment."
          : "Every comparison in the active batches has its judgements, or is with other annotators for the moment."}{" "}
        Leases that run out come back to the pool, so there may be more soon.
      </p>
      <p className="mt-2 text-sm text-stone-600">You judged {props.judgedToday} today.</p>
      <div className="mt-6 flex flex-wrap items-center justify-center gap-3">
        <Button onClick={props.onCheck} disabled={props.busy}>
          Check again <Kbd>Enter</Kbd>
        </Button>
        {props.onUndo && (
          <Button variant="quiet" onClick={props.onUndo} data-testid="undo-last">
            Undo your last judgement <Kbd>⌫</Kbd>
          </Button>
        )}
        {props.batchFilter && (
          <Link href="/annotate" className="text-sm font-medium text-teal-800 underline underline-offset-2">
            Judge from every active batch
          </Link>
        )}
        {props.writableBatches > 0 && (
          <Link href="/annotate/write" className="text-sm font-medium text-teal-800 underline underline-offset-2">
            Write your own prompts
          </Link>
        )}
      </div>
      {props.notice && props.notice.tone !== "success" && (
        <p className={`mt-4 text-sm ${props.notice.tone === "error" ? "text-red-700" : "text-stone-700"}`} role="status">
          {props.notice.text}
        </p>
      )}
    </div>
  );
}
