import { currentUser } from "@/server/auth/current-user";
import { hasPermission } from "@/server/auth/permissions";
import { AppError } from "@/server/errors";
import { getWritingDesk, listWritableBatches } from "@/server/dialogues/queries";
import { endDialogueAction, startDialogueAction, startNextTurnAction } from "@/server/dialogues/actions";
import { submitJudgementAction } from "@/server/tasks/actions";
import { DialogueWriter } from "@/components/dialogue/dialogue-writer";
import { WritableBatchList } from "@/components/dialogue/writable-batch-list";
import { Forbidden } from "@/components/ui/forbidden";

export const dynamic = "force-dynamic";

export default async function WritePage({ searchParams }: { searchParams: Promise<{ batch?: string }> }) {
  const actor = await currentUser();
  if (!actor || !hasPermission(actor, "judgements.submit")) return <Forbidden what="Only annotators write prompts and judge the answers." />;
  // ?batch=ID opens the writing desk of one batch (resuming the open dialogue there); without it, the list.
  const { batch } = await searchParams;
  if (!batch) return <WritableBatchList batches={await listWritableBatches(actor)} />;
  const desk = await getWritingDesk(actor, batch).catch((error: unknown) => {
    if (error instanceof AppError) return error;
    throw error;
  });
  if (desk instanceof AppError) {
    return (
      <div className="mx-auto max-w-xl px-6 py-24 text-center">
        <h1 className="text-xl font-semibold text-stone-900">This batch is not open for writing</h1>
        <p className="mt-3 text-stone-600">{desk.message}</p>
        <a href="/annotate/write" className="mt-6 inline-block text-sm text-teal-700 underline">
          Batches you can write in
        </a>
      </div>
    );
  }
  return (
    <DialogueWriter
      key={desk.batch.id}
      desk={desk}
      actions={{
        startDialogue: startDialogueAction,
        startNextTurn: startNextTurnAction,
        endDialogue: endDialogueAction,
        submit: submitJudgementAction,
      }}
    />
  );
}
