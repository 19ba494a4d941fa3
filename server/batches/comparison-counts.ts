// A batch's counts (comparisons, those still lacking their two responses, judgements), read from the tallies the
// database keeps as rows are written (BatchTally, prisma/migrations/*_task_queue_functions): a few rows per batch,
// whatever its size, so progress bars and the annotator's counter never count a batch.
import type { Prisma } from "../db";
import { queryRows } from "../pg-pool";

export type BatchCounts = { comparisons: number; lackingResponses: number; judgements: number };

const NONE: BatchCounts = { comparisons: 0, lackingResponses: 0, judgements: 0 };

/** Counts of each batch asked for (batches without any row yet count zero). */
export async function readBatchCounts(batchIds: string[]): Promise<Map<string, BatchCounts>> {
  const counts = new Map<string, BatchCounts>(batchIds.map((id) => [id, { ...NONE }]));
  if (batchIds.length === 0) return counts;
  const rows = await queryRows<{ batchId: string; comparisons: number; lackingResponses: number; judgements: number }>(
    `SELECT "batchId", sum(comparisons)::int AS comparisons, sum("lackingResponses")::int AS "lackingResponses",
            sum(judgements)::int AS judgements
       FROM "BatchTally" WHERE "batchId" = ANY($1::text[]) GROUP BY "batchId"`,
    [batchIds],
  );
  for (const row of rows)
    counts.set(row.batchId, { comparisons: row.comparisons, lackingResponses: row.lackingResponses, judgements: row.judgements });
  return counts;
}

/** One batch's counts, read through `tx` (inside a transaction, its own writes count). */
export async function countComparisons(tx: Prisma.TransactionClient, batchId: string): Promise<{ comparisons: number; lackingResponses: number }> {
  const [row] = await tx.$queryRaw<{ comparisons: number; lackingResponses: number }[]>`
    SELECT coalesce(sum(comparisons), 0)::int AS comparisons, coalesce(sum("lackingResponses"), 0)::int AS "lackingResponses"
      FROM "BatchTally" WHERE "batchId" = ${batchId}`;
  return row;
}
