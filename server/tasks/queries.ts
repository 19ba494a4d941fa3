// Reads for the comparison page: the annotator's progress.
import { db } from "../db";
import { requirePermission, type Actor } from "../auth/permissions";
import { liveAssignmentCondition } from "./live-assignments";

export type AnnotatorProgress = { judgedToday: number; leftInBatch: number | null };

export async function getAnnotatorProgress(actor: Actor, batchId: string | null): Promise<AnnotatorProgress> {
  requirePermission(actor, "tasks.claim");
  const startOfDay = new Date();
  startOfDay.setUTCHours(0, 0, 0, 0);
  const judgedToday = await db.judgement.count({ where: { annotatorId: actor.id, createdAt: { gte: startOfDay } } });
  if (!batchId) return { judgedToday, leftInBatch: null };
  // Comparisons of the batch this annotator could still be given (not counting the one on screen).
  const [row] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM "Comparison" c JOIN "Batch" b ON b.id = c."batchId"
    WHERE c."batchId" = ${batchId}
      AND NOT EXISTS (SELECT 1 FROM "Assignment" mine WHERE mine."comparisonId" = c.id AND mine."annotatorId" = ${actor.id})
      AND (SELECT count(*) FROM "Assignment" a WHERE a."comparisonId" = c.id AND ${liveAssignmentCondition("a")}) < b.overlap`;
  return { judgedToday, leftInBatch: Number(row.n) };
}
