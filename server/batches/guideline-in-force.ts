// Which guidelines version an assignment is judged under: the latest version saved when the task was claimed.
// The annotation page shows that version and the judgement records it, so what is recorded is what was on screen,
// even if an admin saves a new version while the task is open. Versions are never edited, only added.
import type { Prisma } from "../generated/prisma/client";

export async function guidelineVersionAt(
  tx: Prisma.TransactionClient,
  batchId: string,
  claimedAt: Date,
): Promise<{ id: string; version: number; markdown: string }> {
  const inForce = await tx.guidelineVersion.findFirst({
    where: { batchId, createdAt: { lte: claimedAt } },
    orderBy: { version: "desc" },
    select: { id: true, version: true, markdown: true },
  });
  // Version 1 is created with the batch, so only clock skew could leave nothing: fall back to the first.
  return (
    inForce ??
    (await tx.guidelineVersion.findFirstOrThrow({ where: { batchId }, orderBy: { version: "asc" }, select: { id: true, version: true, markdown: true } }))
  );
}
