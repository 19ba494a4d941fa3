import { currentUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";
import { claimNextTaskAction, skipTaskAction, submitJudgementAction } from "@/server/tasks/actions";
import { ComparisonView } from "@/components/comparison/comparison-view";
import { Forbidden } from "@/components/ui/forbidden";

export const dynamic = "force-dynamic";

export default async function AnnotatePage({ searchParams }: { searchParams: Promise<{ batch?: string }> }) {
  const actor = await currentUser();
  if (!hasPermission(actor, "tasks.claim")) return <Forbidden what="Only annotators judge comparisons." />;
  // ?batch=ID keeps the annotator on one batch; without it, tasks come from every active batch, oldest first.
  const { batch } = await searchParams;
  const claimNext = claimNextTaskAction.bind(null, batch || undefined);
  const initial = await claimNext();
  if (!initial.ok) return <Forbidden what={initial.error.message} />;
  return (
    <ComparisonView
      initial={initial.value}
      actions={{ claimNext, submit: submitJudgementAction, skip: skipTaskAction }}
    />
  );
}
