import { currentUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";
import { claimNextTaskAction, skipTaskAction, submitJudgementAction } from "@/server/tasks/actions";
import { ComparisonView } from "@/components/comparison/comparison-view";
import { Forbidden } from "@/components/ui/forbidden";

export const dynamic = "force-dynamic";

export default async function AnnotatePage() {
  const actor = await currentUser();
  if (!hasPermission(actor, "tasks.claim")) return <Forbidden what="Only annotators judge comparisons." />;
  const initial = await claimNextTaskAction();
  if (!initial.ok) return <Forbidden what={initial.error.message} />;
  return (
    <ComparisonView
      initial={initial.value}
      actions={{ claimNext: claimNextTaskAction, submit: submitJudgementAction, skip: skipTaskAction }}
    />
  );
}
