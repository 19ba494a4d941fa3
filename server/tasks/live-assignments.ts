// The one definition of an assignment that holds a slot of a comparison: submitted, or leased and not expired.
import { Prisma } from "../generated/prisma/client";

export function liveAssignmentCondition(alias: string): Prisma.Sql {
  const a = Prisma.raw(`"${alias}"`);
  return Prisma.sql`(${a}.status = 'submitted' OR (${a}.status = 'leased' AND ${a}."leaseExpiresAt" > now()))`;
}

/** Live assignments of one comparison, optionally leaving one out (the caller's own). */
export async function countLiveAssignments(
  tx: Prisma.TransactionClient,
  comparisonId: string,
  exceptAssignmentId: string | null = null,
): Promise<number> {
  const [row] = await tx.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM "Assignment" a
    WHERE a."comparisonId" = ${comparisonId} AND ${liveAssignmentCondition("a")}
      AND (${exceptAssignmentId}::text IS NULL OR a.id <> ${exceptAssignmentId})`;
  return Number(row.n);
}
