import Link from "next/link";
import { currentUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";
import { claimNextTaskAction, skipTaskAction, submitAndClaimNextAction } from "@/server/tasks/actions";
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
  if (!initial.ok) return <Forbidden what={initial.error.message} />;
  const writable = actor && hasPermission(actor, "judgements.submit") ? await listWritableBatches(actor) : [];
  return (
    <>
      {writable.length > 0 && (
        <div className="mx-auto max-w-7xl px-4 pt-3 text-sm text-stone-600 sm:px-6">
          <Link href="/annotate/write" className="text-teal-700 underline-offset-2 hover:underline" data-testid="write-link">
            Write your own prompts
          </Link>{" "}
          <span className="text-stone-500">
            · {writable.length} batch{writable.length === 1 ? "" : "es"} where two models answer what you write
          </span>
        </div>
      )}
      <ComparisonView
        initial={initial.value}
        actions={{ claimNext, submitAndNext, skip: skipTaskAction }}
      />
    </>
  );
}
