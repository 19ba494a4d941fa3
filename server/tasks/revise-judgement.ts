// An annotator corrects their own judgement (undo), within a minute of submitting it: the judgement keeps its id,
// its slot and its place; its earlier values go to a revision, which a dataset saved before the correction keeps
// printing (its bytes never change). Idempotent per key, audited, refused once the minute is over.
import { db } from "../db";
import { AppError, parseInput } from "../errors";
import { requirePermission, type Actor } from "../auth/permissions";
import { recordAudit } from "../audit/record-audit";
import { deriveSafetyBin } from "@/lib/safety-bin";
import { reviseJudgementSchema } from "./schemas";
import { judgementView, type JudgementView } from "./submit-judgement";

/** How long after submitting a judgement its annotator may correct it (the page offers 30 s; slack for the network). */
export const REVISION_WINDOW_SECONDS = 60;

export async function reviseJudgement(actor: Actor, input: unknown): Promise<JudgementView> {
  requirePermission(actor, "judgements.submit");
  const data = parseInput(reviseJudgementSchema, input);
  return db.$transaction(async (tx) => {
    // The row lock orders corrections (and their retries) of one judgement.
    const [locked] = await tx.$queryRaw<{ id: string; fresh: boolean }[]>`
      SELECT id, "createdAt" > (now() AT TIME ZONE 'UTC') - make_interval(secs => ${REVISION_WINDOW_SECONDS}) AS fresh
        FROM "Judgement" WHERE id = ${data.judgementId} AND "annotatorId" = ${actor.id} FOR UPDATE`;
    if (!locked) throw new AppError("not_found", "There is no such judgement of yours.");
    const judgement = await tx.judgement.findUniqueOrThrow({
      where: { id: data.judgementId },
      include: { assignment: true, comparison: { include: { batch: true } } },
    });
    const replay = await tx.judgementRevision.findUnique({
      where: { judgementId_idempotencyKey: { judgementId: judgement.id, idempotencyKey: data.idempotencyKey } },
    });
    if (replay) return judgementView(judgement);
    if (!locked.fresh) throw new AppError("conflict", "It is too late to change this judgement: it was kept as you first submitted it.");
    if (judgement.comparison.batch.status === "closed")
      throw new AppError("batch_not_active", "This batch was closed; the judgement stays as it was.");
    if (judgement.comparison.batch.requireSafety && !data.safety) {
      throw new AppError("invalid_input", "Label both responses safe or unsafe: this batch requires it.", {
        issues: [{ path: "safety", message: "is required in this batch" }],
      });
    }
    const chosenIsLeft = data.chosen === "left";
    const chosenSafety = data.safety ? (chosenIsLeft ? data.safety.left : data.safety.right) : null;
    const rejectedSafety = data.safety ? (chosenIsLeft ? data.safety.right : data.safety.left) : null;
    const { assignment } = judgement;
    const before = {
      chosen: judgement.chosenSide,
      degree: judgement.degree,
      chosenSafety: judgement.chosenSafety,
      rejectedSafety: judgement.rejectedSafety,
    };
    await tx.judgementRevision.create({
      data: {
        judgementId: judgement.id,
        idempotencyKey: data.idempotencyKey,
        chosenSide: judgement.chosenSide,
        chosenResponseId: judgement.chosenResponseId,
        rejectedResponseId: judgement.rejectedResponseId,
        degree: judgement.degree,
        chosenSafety: judgement.chosenSafety,
        rejectedSafety: judgement.rejectedSafety,
        safetyBin: judgement.safetyBin,
      },
    });
    const revised = await tx.judgement.update({
      where: { id: judgement.id },
      data: {
        chosenSide: data.chosen,
        chosenResponseId: chosenIsLeft ? assignment.leftResponseId : assignment.rightResponseId,
        rejectedResponseId: chosenIsLeft ? assignment.rightResponseId : assignment.leftResponseId,
        degree: data.degree,
        chosenSafety,
        rejectedSafety,
        safetyBin: chosenSafety && rejectedSafety ? deriveSafetyBin(chosenSafety, rejectedSafety) : null,
        revisedAt: new Date(),
      },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "judgement.revise",
      entityType: "judgement",
      entityId: judgement.id,
      before,
      after: { chosen: revised.chosenSide, degree: revised.degree, chosenSafety, rejectedSafety },
    });
    return judgementView(revised);
  });
}
