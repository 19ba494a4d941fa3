// Hands an annotator the next comparison that still needs judgements, as a lease.
// Fairness: k distinct annotators per comparison (k = batch overlap), never the same annotator twice,
// expired leases return to the pool, and parallel claimers never over-assign (FOR UPDATE SKIP LOCKED,
// then a recount under the lock, because the candidate query's snapshot may predate a rival's commit).
// Turns of a dialogue an annotator is still writing (server/dialogues) stay with their writer until it ends.
import { db, type Prisma } from "../db";
import { parseInput } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";
import { drawScreenOrder } from "@/lib/screen-order";
import { claimTaskSchema } from "./schemas";
import { countLiveAssignments, liveAssignmentCondition } from "./live-assignments";
import { loadTaskView, type TaskView } from "./task-view";
import { Prisma as P } from "../generated/prisma/client";

const MAX_ATTEMPTS = 20;

export async function claimNextTask(actor: Actor, input: unknown = {}): Promise<TaskView | null> {
  requirePermission(actor, "tasks.claim");
  const { batchId } = parseInput(claimTaskSchema, input ?? {});
  for (let attempt = 1; ; attempt++) {
    try {
      // Claims may wait on rivals' row locks (the blocking fallback): allow more than Prisma's 5 s default.
      return await db.$transaction((tx) => claimInTransaction(tx, actor.id, batchId), { maxWait: 10_000, timeout: 30_000 });
    } catch (error) {
      // Two claimers can wait on each other's candidate rows in the blocking fallback: Postgres aborts one
      // with a deadlock error, and that one simply tries again.
      if (attempt < 5 && isDeadlock(error)) continue;
      throw error;
    }
  }
}

function isDeadlock(error: unknown): boolean {
  return /deadlock detected|40P01/.test(String((error as Error)?.message ?? error));
}

async function claimInTransaction(tx: Prisma.TransactionClient, annotatorId: string, batchId?: string): Promise<TaskView | null> {
  const current = await findCurrentLease(tx, annotatorId, batchId);
  if (current) return loadTaskView(tx, current);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    // First skip rows other claimers hold; if that leaves nothing, wait for one of them instead, because a
    // locked comparison may still have a free slot once its claimer commits (k > 1).
    const candidate = (await lockCandidate(tx, annotatorId, batchId, true)) ?? (await lockCandidate(tx, annotatorId, batchId, false));
    if (!candidate) return null;
    if ((await countLiveAssignments(tx, candidate.id)) >= candidate.overlap) continue; // filled meanwhile
    const responses = await tx.response.findMany({ where: { comparisonId: candidate.id }, orderBy: { slot: "asc" } });
    const order = drawScreenOrder(responses[0].id, responses[1].id);
    const assignment = await tx.assignment.create({
      data: {
        comparisonId: candidate.id,
        annotatorId,
        leftResponseId: order.left,
        rightResponseId: order.right,
        leaseExpiresAt: new Date(Date.now() + candidate.leaseSeconds * 1000),
      },
    });
    return loadTaskView(tx, assignment.id);
  }
  return null;
}

/** A lease this annotator already holds (page reloaded, second tab): the same task, not a new one. */
async function findCurrentLease(tx: Prisma.TransactionClient, annotatorId: string, batchId?: string): Promise<string | null> {
  const lease = await tx.assignment.findFirst({
    where: {
      annotatorId,
      status: "leased",
      leaseExpiresAt: { gt: new Date() },
      comparison: {
        batch: { status: "active", ...(batchId ? { id: batchId } : {}) },
        OR: [{ batch: { promptSource: "imported" } }, { dialogue: { endedAt: { not: null } } }],
      },
    },
    orderBy: { leasedAt: "asc" },
    select: { id: true },
  });
  return lease?.id ?? null;
}

async function lockCandidate(tx: Prisma.TransactionClient, annotatorId: string, batchId: string | undefined, skipLocked: boolean) {
  const batchFilter = batchId ? P.sql`AND b.id = ${batchId}` : P.empty;
  const lockMode = skipLocked ? P.sql`FOR UPDATE OF c SKIP LOCKED` : P.sql`FOR UPDATE OF c`;
  const rows = await tx.$queryRaw<{ id: string; overlap: number; leaseSeconds: number }[]>`
    SELECT c.id, b.overlap, b."leaseSeconds"
    FROM "Comparison" c
    JOIN "Batch" b ON b.id = c."batchId"
    WHERE b.status = 'active' ${batchFilter}
      AND NOT EXISTS (SELECT 1 FROM "Assignment" mine WHERE mine."comparisonId" = c.id AND mine."annotatorId" = ${annotatorId})
      AND (SELECT count(*) FROM "Response" r WHERE r."comparisonId" = c.id) = 2
      AND (b."promptSource" = 'imported' OR EXISTS (SELECT 1 FROM "Dialogue" d WHERE d.id = c."dialogueId" AND d."endedAt" IS NOT NULL))
      AND (SELECT count(*) FROM "Assignment" a WHERE a."comparisonId" = c.id AND ${liveAssignmentCondition("a")}) < b.overlap
    ORDER BY b."createdAt", c.seq
    LIMIT 1
    ${lockMode}`;
  return rows[0] ?? null;
}
