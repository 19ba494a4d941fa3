// Undo on the server: an annotator corrects their own judgement within a minute; it stays one row with the same
// id and slot, the change is audited, a repeated key changes nothing, it is refused once the minute is over or for
// someone else's judgement; a dataset saved before the correction keeps its bytes while live exports see it.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { claimNextTask } from "@/server/tasks/claim-next-task";
import { submitJudgement } from "@/server/tasks/submit-judgement";
import { reviseJudgement } from "@/server/tasks/revise-judgement";
import { createDataset } from "@/server/datasets/create-dataset";
import { openDatasetDownload } from "@/server/datasets/queries";
import { prepareExport } from "@/server/exports/prepare-export";
import { AppError } from "@/server/errors";
import { closeBatch, makeActiveBatch, makeUser, readAll } from "../fixtures";

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return "accepted";
}

async function liveCanonical(actor: Awaited<ReturnType<typeof makeUser>>, batchId: string): Promise<{ degree: string }[]> {
  const prepared = await prepareExport(actor, { format: "canonical", batches: batchId });
  const lines: string[] = [];
  for await (const batch of prepared.lineBatches()) lines.push(...batch);
  return lines
    .join("")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe("correcting one's last judgement", () => {
  it("replaces it in place, audited and idempotent, and keeps a dataset saved before it byte for byte", async () => {
    const [admin, researcher, annotator, other] = await Promise.all([
      makeUser("admin"),
      makeUser("researcher"),
      makeUser("annotator"),
      makeUser("annotator"),
    ]);
    const batchId = await makeActiveBatch(admin, { comparisons: 2, overlap: 1 });
    const task = (await claimNextTask(annotator, { batchId }))!;
    const first = await submitJudgement(annotator, {
      assignmentId: task.assignmentId,
      chosen: "left",
      degree: "slightly_better",
      idempotencyKey: "first-key-0001",
      timeSpentMs: 900,
    });

    const saved = await createDataset(researcher, {
      name: "Before the correction",
      format: "canonical",
      filters: { batches: [batchId] },
      options: { salt: "s" },
    });
    const before = await readAll((await openDatasetDownload(researcher, saved.id, { file: "jsonl" })).bytes);

    const revised = await reviseJudgement(annotator, {
      judgementId: first.id,
      chosen: "right",
      degree: "significantly_better",
      idempotencyKey: "fix-key-0001",
    });
    expect(revised.id).toBe(first.id);
    expect(revised).toMatchObject({
      chosen: "right",
      degree: "significantly_better",
      chosenResponseId: task.right.id,
      rejectedResponseId: task.left.id,
    });
    // The same key again: nothing changes, no second revision.
    const again = await reviseJudgement(annotator, {
      judgementId: first.id,
      chosen: "right",
      degree: "significantly_better",
      idempotencyKey: "fix-key-0001",
    });
    expect(again.id).toBe(first.id);
    expect(await db.judgementRevision.count({ where: { judgementId: first.id } })).toBe(1);
    expect(await db.judgement.count({ where: { assignmentId: task.assignmentId } })).toBe(1);
    expect((await db.assignment.findUniqueOrThrow({ where: { id: task.assignmentId } })).status).toBe("submitted");
    const audit = await db.auditEntry.findFirstOrThrow({ where: { action: "judgement.revise", entityId: first.id } });
    expect(audit).toMatchObject({
      actorId: annotator.id,
      before: { chosen: "left", degree: "slightly_better" },
      after: { chosen: "right", degree: "significantly_better" },
    });

    // The saved dataset prints the judgement as it was at its cutoff; a live export prints the correction.
    const after = await readAll((await openDatasetDownload(researcher, saved.id, { file: "jsonl" })).bytes);
    expect(createHash("sha256").update(after).digest("hex")).toBe(createHash("sha256").update(before).digest("hex"));
    expect(JSON.parse(before.toString("utf8").trim()).degree).toBe("slightly_better");
    expect((await liveCanonical(researcher, batchId)).map((r) => r.degree)).toEqual(["significantly_better"]);

    // Someone else's judgement is not theirs to correct; a judgement older than the minute stays as it is.
    expect(await refusal(reviseJudgement(other, { judgementId: first.id, chosen: "left", degree: "better", idempotencyKey: "other-key-001" }))).toBe(
      "not_found",
    );
    await db.$executeRaw`UPDATE "Judgement" SET "createdAt" = "createdAt" - interval '2 minutes' WHERE id = ${first.id}`;
    expect(
      await refusal(reviseJudgement(annotator, { judgementId: first.id, chosen: "left", degree: "better", idempotencyKey: "late-key-0001" })),
    ).toBe("conflict");
    expect((await db.judgement.findUniqueOrThrow({ where: { id: first.id } })).degree).toBe("significantly_better");
    await closeBatch(admin, batchId);
  });
});
