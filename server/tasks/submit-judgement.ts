// Records a judgement. Idempotent per (annotator, idempotency key): a retry returns the first judgement
// and never writes a second row. A lease that expired is still accepted while nobody took its slot.
import { db, type Prisma } from "../db";
import { AppError, parseInput } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";
import { deriveSafetyBin } from "@/lib/safety-bin";
import type { Degree, SafetyBin, SafetyLabel, Side } from "@/lib/protocol";
import { submitJudgementSchema } from "./schemas";
import { countLiveAssignments } from "./live-assignments";
import { guidelineVersionAt } from "../batches/guideline-in-force";

export type JudgementView = {
  id: string;
  assignmentId: string;
  comparisonId: string;
  chosenResponseId: string;
  rejectedResponseId: string;
  chosen: Side;
  degree: Degree;
  safety: { left: SafetyLabel; right: SafetyLabel } | null;
  safetyBin: SafetyBin | null;
  timeSpentMs: number;
  guidelineVersionId: string;
  idempotencyKey: string;
  createdAt: string;
};

type JudgementRow = Prisma.JudgementGetPayload<{ include: { assignment: true } }>;

function toView(row: JudgementRow): JudgementView {
  const chosenIsLeft = row.chosenSide === "left";
  const safety =
    row.chosenSafety && row.rejectedSafety
      ? {
          left: chosenIsLeft ? row.chosenSafety : row.rejectedSafety,
          right: chosenIsLeft ? row.rejectedSafety : row.chosenSafety,
        }
      : null;
  return {
    id: row.id,
    assignmentId: row.assignmentId,
    comparisonId: row.comparisonId,
    chosenResponseId: row.chosenResponseId,
    rejectedResponseId: row.rejectedResponseId,
    chosen: row.chosenSide,
    degree: row.degree,
    safety,
    safetyBin: row.safetyBin,
    timeSpentMs: row.timeSpentMs,
    guidelineVersionId: row.guidelineVersionId,
    idempotencyKey: row.idempotencyKey,
    createdAt: row.createdAt.toISOString(),
  };
}

async function findReplay(tx: Prisma.TransactionClient, annotatorId: string, idempotencyKey: string, assignmentId: string) {
  const earlier = await tx.judgement.findUnique({
    where: { annotatorId_idempotencyKey: { annotatorId, idempotencyKey } },
    include: { assignment: true },
  });
  if (earlier && earlier.assignmentId !== assignmentId) {
    throw new AppError("conflict", "This idempotency key was already used for another assignment; use a new key per judgement.");
  }
  return earlier;
}

export async function submitJudgement(actor: Actor, input: unknown): Promise<JudgementView> {
  requirePermission(actor, "judgements.submit");
  const data = parseInput(submitJudgementSchema, input);

  const replay = await findReplay(db as unknown as Prisma.TransactionClient, actor.id, data.idempotencyKey, data.assignmentId);
  if (replay) return toView(replay);

  // Waits on the assignment's row lock (retries) and on the comparison's (late judgements): more than 5 s.
  return db.$transaction(async (tx) => {
    // The assignment row lock serialises concurrent submits of the same task (double clicks, retries).
    const [locked] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "Assignment" WHERE id = ${data.assignmentId} AND "annotatorId" = ${actor.id} FOR UPDATE`;
    if (!locked) throw new AppError("not_found", `No assignment ${data.assignmentId} of yours.`);
    const again = await findReplay(tx, actor.id, data.idempotencyKey, data.assignmentId);
    if (again) return toView(again);

    const assignment = await tx.assignment.findUniqueOrThrow({
      where: { id: data.assignmentId },
      include: { comparison: { include: { batch: true } } },
    });
    const { batch } = assignment.comparison;
    if (assignment.status === "submitted") throw new AppError("conflict", "This comparison is already judged.");
    if (assignment.status === "skipped") throw new AppError("conflict", "This comparison was skipped; it cannot be judged now.");
    if (batch.status === "closed") throw new AppError("batch_not_active", "This batch was closed; your judgement was not recorded.");

    if (assignment.leaseExpiresAt.getTime() <= Date.now()) {
      // Expired: keep the work if the slot is still free. Locking the comparison orders us with claimers.
      await tx.$queryRaw`SELECT id FROM "Comparison" WHERE id = ${assignment.comparisonId} FOR UPDATE`;
      const others = await countLiveAssignments(tx, assignment.comparisonId, assignment.id);
      if (others >= batch.overlap) {
        throw new AppError(
          "lease_expired",
          "Your time on this comparison ran out and another annotator has taken it; this judgement was not recorded.",
        );
      }
    }

    if (batch.requireSafety && !data.safety) {
      throw new AppError("invalid_input", "safety: this batch requires a safe/unsafe label for both responses.", {
        issues: [{ path: "safety", message: "is required in this batch" }],
      });
    }
    // Recorded: the guidelines version shown on screen, i.e. the one in force when the task was claimed.
    const guidelines = await guidelineVersionAt(tx, batch.id, assignment.leasedAt);
    const chosenIsLeft = data.chosen === "left";
    const chosenSafety = data.safety ? (chosenIsLeft ? data.safety.left : data.safety.right) : null;
    const rejectedSafety = data.safety ? (chosenIsLeft ? data.safety.right : data.safety.left) : null;

    const row = await tx.judgement.create({
      data: {
        assignmentId: assignment.id,
        comparisonId: assignment.comparisonId,
        annotatorId: actor.id,
        vendorId: actor.vendorId,
        chosenResponseId: chosenIsLeft ? assignment.leftResponseId : assignment.rightResponseId,
        rejectedResponseId: chosenIsLeft ? assignment.rightResponseId : assignment.leftResponseId,
        chosenSide: data.chosen,
        degree: data.degree,
        chosenSafety,
        rejectedSafety,
        safetyBin: chosenSafety && rejectedSafety ? deriveSafetyBin(chosenSafety, rejectedSafety) : null,
        timeSpentMs: data.timeSpentMs,
        guidelineVersionId: guidelines.id,
        idempotencyKey: data.idempotencyKey,
      },
      include: { assignment: true },
    });
    await tx.assignment.update({ where: { id: assignment.id }, data: { status: "submitted", finishedAt: new Date() } });
    return toView(row);
  }, { maxWait: 10_000, timeout: 30_000 });
}
