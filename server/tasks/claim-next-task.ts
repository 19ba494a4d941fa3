// Hands an annotator the next comparison that still needs judgements, as a lease. The rules live in the database
// function pairwise_claim (prisma/migrations/*_task_queue_functions): k slots per comparison kept by triggers, a
// partial index of open claimable comparisons in hand-out order walked with FOR UPDATE SKIP LOCKED, expired leases
// taken over through an index of leases. One round trip, a bounded number of rows, however large the batches.
import { drawScreenOrder } from "@/lib/screen-order";
import { parseInput } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";
import { prepared, preparedRows } from "../pg-pool";
import { isRetryableConflict } from "../db-errors";
import { claimTaskSchema } from "./schemas";
import { toTaskView, type TaskRow, type TaskView } from "./task-view";

export async function claimNextTask(actor: Actor, input: unknown = {}): Promise<TaskView | null> {
  requirePermission(actor, "tasks.claim");
  const { batchId } = parseInput(claimTaskSchema, input ?? {});
  const row = await claim(actor.id, batchId ?? null);
  return row ? toTaskView(row) : null;
}

/** The claim and the task it hands out: $1 annotator, $2 batch or null, $3 whether the stored slots show swapped. */
export const CLAIM = prepared("pairwise-claim", `SELECT * FROM pairwise_claim($1, $2, $3)`);

async function claim(annotatorId: string, batchId: string | null): Promise<TaskRow | null> {
  for (let attempt = 1; ; attempt++) {
    // Screen order is drawn here, by the one rule in lib/, and applied to the responses' stored slots.
    const swap = drawScreenOrder(false, true).left;
    try {
      const [row] = await preparedRows<TaskRow>(CLAIM, [annotatorId, batchId, swap]);
      return row ?? null;
    } catch (error) {
      // Two claimers waiting on each other's rows (deadlock), or this annotator's second tab taking the same
      // comparison at the same moment (the unique index): the loser tries again.
      if (attempt < 5 && isRetryableConflict(error)) continue;
      throw error;
    }
  }
}
