// Skips an assigned comparison with a reason; the annotator will not be given it again, and its slot goes back to
// the queue (the slot trigger). One statement: the update only applies to a lease, and says what it found.
import { AppError, parseInput } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";
import { prepared, preparedRows } from "../pg-pool";
import { skipTaskSchema } from "./schemas";

const SKIP = prepared(
  "pairwise-skip",
  `WITH target AS (
       SELECT id, status FROM "Assignment" WHERE id = $1 AND "annotatorId" = $2 FOR UPDATE
     ), skipped AS (
       UPDATE "Assignment" a SET status = 'skipped', "skipReason" = $3::"SkipReason", "skipNote" = $4,
              "finishedAt" = now() AT TIME ZONE 'UTC'
         FROM target WHERE a.id = target.id AND target.status = 'leased'
       RETURNING a.id
     )
     SELECT target.status, EXISTS (SELECT 1 FROM skipped) AS skipped FROM target`,
);

export async function skipTask(actor: Actor, input: unknown): Promise<{ assignmentId: string; status: "skipped" }> {
  requirePermission(actor, "tasks.claim");
  const data = parseInput(skipTaskSchema, input);
  const [row] = await preparedRows<{ status: string; skipped: boolean }>(SKIP, [data.assignmentId, actor.id, data.reason, data.note ?? null]);
  if (!row) throw new AppError("not_found", "There is no such task of yours.");
  if (row.status === "submitted") throw new AppError("conflict", "This comparison is already judged.");
  return { assignmentId: data.assignmentId, status: "skipped" };
}
