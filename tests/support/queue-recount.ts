// The queue's kept state (Comparison.openSlots, responseCount, claimable; the batch's BatchTally shards) against a
// recount from the rows themselves: what a fill, a bench or a test checks after it has written. Every figure is a
// number of disagreements, 0 when the state is exactly what the app's own writes would have left.
import type pg from "pg";

export type QueueRecount = { openSlots: number; responseCount: number; claimable: number; tally: number };

export async function recountQueue(client: pg.Client, batchId: string): Promise<QueueRecount> {
  const one = async (sql: string) => (await client.query<{ n: number }>(sql, [batchId])).rows[0].n;
  const openSlots = await one(
    `SELECT count(*)::int AS n FROM "Comparison" c JOIN "Batch" b ON b.id = c."batchId"
      LEFT JOIN (SELECT "comparisonId", count(*)::int AS held FROM "Assignment" a
                  WHERE a.status IN ('leased', 'submitted') AND a."comparisonId" IN (SELECT id FROM "Comparison" WHERE "batchId" = $1)
                  GROUP BY 1) h ON h."comparisonId" = c.id
      WHERE c."batchId" = $1 AND c."openSlots" <> b.overlap - coalesce(h.held, 0)`,
  );
  const responseCount = await one(
    `SELECT count(*)::int AS n FROM "Comparison" c
      LEFT JOIN (SELECT "comparisonId", count(*)::int AS n FROM "Response"
                  WHERE "comparisonId" IN (SELECT id FROM "Comparison" WHERE "batchId" = $1) GROUP BY 1) r ON r."comparisonId" = c.id
      WHERE c."batchId" = $1 AND c."responseCount" <> coalesce(r.n, 0)`,
  );
  const claimable = await one(
    `SELECT count(*)::int AS n FROM "Comparison" c JOIN "Batch" b ON b.id = c."batchId" JOIN "Dialogue" d ON d.id = c."dialogueId"
      WHERE c."batchId" = $1 AND c.claimable <> (c."responseCount" = 2 AND (b."promptSource" = 'imported' OR d."endedAt" IS NOT NULL))`,
  );
  const tally = await one(
    `WITH kept AS (SELECT coalesce(sum(comparisons), 0)::bigint AS comparisons, coalesce(sum("lackingResponses"), 0)::bigint AS lacking,
                          coalesce(sum(judgements), 0)::bigint AS judgements FROM "BatchTally" WHERE "batchId" = $1),
          counted AS (SELECT count(*)::bigint AS comparisons, count(*) FILTER (WHERE "responseCount" < 2)::bigint AS lacking,
                             (SELECT count(*) FROM "Judgement" j JOIN "Comparison" c2 ON c2.id = j."comparisonId" WHERE c2."batchId" = $1)::bigint AS judgements
                        FROM "Comparison" WHERE "batchId" = $1)
     SELECT ((kept.comparisons <> counted.comparisons)::int + (kept.lacking <> counted.lacking)::int + (kept.judgements <> counted.judgements)::int) AS n
       FROM kept, counted`,
  );
  return { openSlots, responseCount, claimable, tally };
}
