// Reads for the comparison page: the annotator's progress, in constant time: their own judgements of today through
// an index, and what the batch still needs from its tallies (server/batches/comparison-counts.ts), in one query.
import { requirePermission, type Actor } from "../auth/permissions";
import { prepared, preparedRows } from "../pg-pool";

/** `neededInBatch`: judgements the batch still needs (k per comparison, minus those made), or null without a batch. */
export type AnnotatorProgress = { judgedToday: number; neededInBatch: number | null };

/** $1 annotator, $2 batch or null. */
export const PROGRESS = prepared(
  "pairwise-progress",
  `SELECT (SELECT count(*)::int FROM "Judgement"
              WHERE "annotatorId" = $1 AND "createdAt" >= date_trunc('day', now() AT TIME ZONE 'UTC')) AS "judgedToday",
            (SELECT greatest(0, coalesce(sum(t.comparisons), 0) * b.overlap - coalesce(sum(t.judgements), 0))::int
               FROM "Batch" b LEFT JOIN "BatchTally" t ON t."batchId" = b.id
              WHERE b.id = $2 GROUP BY b.id) AS "neededInBatch"`,
);

export async function getAnnotatorProgress(actor: Actor, batchId: string | null): Promise<AnnotatorProgress> {
  requirePermission(actor, "tasks.claim");
  const [row] = await preparedRows<AnnotatorProgress>(PROGRESS, [actor.id, batchId]);
  return row;
}
