import Link from "next/link";
import { currentUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";
import { claimNextTaskAction, reviseJudgementAction, skipTaskAction, submitAndClaimNextAction } from "@/server/tasks/actions";
import { listWritableBatches } from "@/server/dialogues/queries";
import { ComparisonView } from "@/components/comparison/comparison-view";
import { Forbidden } from "@/components/ui/forbidden";

export const dynamic = "force-dynamic";

export default async function AnnotatePage({ searchParams }: { searchParams: Promise<{ batch?: string }> }) {
  const actor = await currentUser();
  if (!hasPermission(actor, "tasks.claim")) return <Forbidden what="Only annotators judge comparisons." />;
  // ?batch=ID keeps the annotator on one batch; without it, tasks come from every active batch, oldest first.
  const { batch } = await searchParams;
  const claimNext = claimNextTaskAction.bind(null, batch || undefined);
  const submitAndNext = submitAndClaimNextAction.bind(null, batch || undefined);
  const initial = await claimNext();
  // The page's error boundary words it (a database out of reach shows "reconnecting").
  if (!initial.ok) throw new Error(initial.error.message);
  const writable = actor && hasPermission(actor, "judgements.submit") ? await listWritableBatches(actor) : [];
  return (
    <>
      {writable.length > 0 && initial.value.task && (
        <div className="mx-auto max-w-7xl px-3 pt-3 text-sm text-stone-700 sm:px-6">
          <Link href="/annotate/write" className="font-medium text-teal-800 underline underline-offset-2" data-testid="write-link">
            Write your own prompts
          </Link>{" "}
          · {writable.length} batch{writable.length === 1 ? "" : "es"} where two models answer what you write
        </div>
      )}
      <ComparisonView
        initial={initial.value}
        actions={{ claimNext, submitAndNext, revise: reviseJudgementAction, skip: skipTaskAction }}
        batchFilter={batch || null}
        writableBatches={writable.length}
      />
    </>
  );
}
