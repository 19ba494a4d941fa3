// How many comparisons a batch has, and how many still lack their two responses (prompts not yet generated).
import type { Prisma } from "../db";

export async function countComparisons(tx: Prisma.TransactionClient, batchId: string): Promise<{ comparisons: number; lackingResponses: number }> {
  const [row] = await tx.$queryRaw<{ comparisons: bigint; lacking: bigint }[]>`
    SELECT count(*) AS comparisons,
           count(*) FILTER (WHERE (SELECT count(*) FROM "Response" r WHERE r."comparisonId" = c.id) < 2) AS lacking
    FROM "Comparison" c WHERE c."batchId" = ${batchId}`;
  return { comparisons: Number(row.comparisons), lackingResponses: Number(row.lacking) };
}
