// Fair assignment on real Postgres: k distinct annotators per comparison, parallel claimers, leases, idempotency.
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { claimNextTask } from "@/server/tasks/claim-next-task";
import { submitJudgement } from "@/server/tasks/submit-judgement";
import { skipTask } from "@/server/tasks/skip-task";
import { setBatchStatus } from "@/server/batches/set-batch-status";
import { AppError } from "@/server/errors";
import type { Actor } from "@/server/auth/permissions";
import { closeBatch, makeActiveBatch, makeUser } from "./fixtures";

let keyCounter = 0;
function judgement(assignmentId: string, extra: Record<string, unknown> = {}) {
  keyCounter += 1;
  return { assignmentId, chosen: "left", degree: "better", idempotencyKey: `key-${keyCounter}-${Date.now()}`, timeSpentMs: 1200, ...extra };
}

async function judgeUntilEmpty(annotator: Actor, batchId: string): Promise<number> {
  let judged = 0;
  for (;;) {
    const task = await claimNextTask(annotator, { batchId });
    if (!task) return judged;
    await submitJudgement(annotator, judgement(task.assignmentId, { chosen: judged % 2 ? "left" : "right" }));
    judged += 1;
  }
}

async function expectAppError(promise: Promise<unknown>, code: string) {
  await expect(promise).rejects.toSatisfy((error: unknown) => error instanceof AppError && error.code === code);
}

describe("fair assignment", () => {
  it.each([2, 3])("gives every comparison exactly k=%i judgements from k distinct annotators, with annotators working in parallel", async (k) => {
    const admin = await makeUser("admin");
    const annotators = await Promise.all(Array.from({ length: 6 }, () => makeUser("annotator")));
    const batchId = await makeActiveBatch(admin, { comparisons: 12, overlap: k });

    const counts = await Promise.all(annotators.map((a) => judgeUntilEmpty(a, batchId)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(12 * k);

    const rows = await db.judgement.groupBy({ by: ["comparisonId"], where: { comparison: { batchId } }, _count: { annotatorId: true } });
    expect(rows).toHaveLength(12);
    for (const row of rows) expect(row._count.annotatorId).toBe(k);
    const distinct = await db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM (SELECT "comparisonId" FROM "Judgement" j JOIN "Comparison" c ON c.id = j."comparisonId"
      WHERE c."batchId" = ${batchId} GROUP BY "comparisonId" HAVING count(DISTINCT "annotatorId") = ${k}) x`;
    expect(Number(distinct[0].n)).toBe(12);
    await closeBatch(admin, batchId);
  });

  it("never over-assigns under many simultaneous claims", async () => {
    const admin = await makeUser("admin");
    const annotators = await Promise.all(Array.from({ length: 16 }, () => makeUser("annotator")));
    const batchId = await makeActiveBatch(admin, { comparisons: 3, overlap: 2 });

    const tasks = await Promise.all(annotators.map((a) => claimNextTask(a, { batchId })));
    const claimed = tasks.filter((t) => t !== null);
    expect(claimed).toHaveLength(6);
    const perComparison = await db.assignment.groupBy({ by: ["comparisonId"], where: { comparison: { batchId } }, _count: true });
    expect(perComparison.map((r) => r._count).sort()).toEqual([2, 2, 2]);
    await closeBatch(admin, batchId);
  });

  it("returns the lease an annotator already holds instead of a second task", async () => {
    const admin = await makeUser("admin");
    const annotator = await makeUser("annotator");
    const batchId = await makeActiveBatch(admin, { comparisons: 3, overlap: 1 });
    const first = await claimNextTask(annotator, { batchId });
    const again = await claimNextTask(annotator, { batchId });
    expect(again?.assignmentId).toBe(first?.assignmentId);
    expect(await db.assignment.count({ where: { annotatorId: annotator.id } })).toBe(1);
    await closeBatch(admin, batchId);
  });

  it("never gives an annotator the same comparison twice", async () => {
    const admin = await makeUser("admin");
    const annotator = await makeUser("annotator");
    const batchId = await makeActiveBatch(admin, { comparisons: 1, overlap: 3 });
    const task = await claimNextTask(annotator, { batchId });
    await submitJudgement(annotator, judgement(task!.assignmentId));
    expect(await claimNextTask(annotator, { batchId })).toBeNull();
    await closeBatch(admin, batchId);
  });

  it("records a random left/right order per assignment, and shows no model names", async () => {
    const admin = await makeUser("admin");
    const annotator = await makeUser("annotator");
    const batchId = await makeActiveBatch(admin, { comparisons: 30, overlap: 1 });
    let slot0OnLeft = 0;
    for (let i = 0; i < 30; i++) {
      const task = (await claimNextTask(annotator, { batchId }))!;
      const assignment = await db.assignment.findUniqueOrThrow({ where: { id: task.assignmentId } });
      expect(assignment.leftResponseId).toBe(task.left.id);
      expect(assignment.rightResponseId).toBe(task.right.id);
      const slot0 = await db.response.findFirstOrThrow({ where: { comparisonId: assignment.comparisonId, slot: 0 } });
      if (task.left.id === slot0.id) slot0OnLeft++;
      expect(JSON.stringify(task)).not.toContain("acme-chat");
      await skipTask(annotator, { assignmentId: task.assignmentId, reason: "other" });
    }
    // 30 fair coin flips all landing one way has probability 2^-29.
    expect(slot0OnLeft).toBeGreaterThan(0);
    expect(slot0OnLeft).toBeLessThan(30);
    await closeBatch(admin, batchId);
  });

  it("returns an expired lease to the pool, and refuses the late judgement once another annotator took the slot", async () => {
    const admin = await makeUser("admin");
    const [slow, fast] = await Promise.all([makeUser("annotator"), makeUser("annotator")]);
    const batchId = await makeActiveBatch(admin, { comparisons: 1, overlap: 1 });
    const task = await claimNextTask(slow, { batchId });
    expect(await claimNextTask(fast, { batchId })).toBeNull(); // leased: not available

    await db.assignment.update({ where: { id: task!.assignmentId }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
    const taken = await claimNextTask(fast, { batchId });
    expect(taken?.prompt).toBe(task!.prompt);

    await expectAppError(submitJudgement(slow, judgement(task!.assignmentId)), "lease_expired");
    expect(await db.judgement.count({ where: { annotatorId: slow.id } })).toBe(0);
    await closeBatch(admin, batchId);
  });

  it("keeps a late judgement when nobody took the expired slot", async () => {
    const admin = await makeUser("admin");
    const annotator = await makeUser("annotator");
    const batchId = await makeActiveBatch(admin, { comparisons: 1, overlap: 1 });
    const task = await claimNextTask(annotator, { batchId });
    await db.assignment.update({ where: { id: task!.assignmentId }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
    const saved = await submitJudgement(annotator, judgement(task!.assignmentId));
    expect(saved.assignmentId).toBe(task!.assignmentId);
    await closeBatch(admin, batchId);
  });

  it("is idempotent: the same key returns the first judgement and writes one row, even in parallel", async () => {
    const admin = await makeUser("admin");
    const annotator = await makeUser("annotator");
    const batchId = await makeActiveBatch(admin, { comparisons: 2, overlap: 1 });
    const task = await claimNextTask(annotator, { batchId });
    const input = judgement(task!.assignmentId, { chosen: "right", degree: "slightly_better" });
    const results = await Promise.all([submitJudgement(annotator, input), submitJudgement(annotator, input), submitJudgement(annotator, input)]);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    const retry = await submitJudgement(annotator, input);
    expect(retry.id).toBe(results[0].id);
    expect(await db.judgement.count({ where: { assignmentId: task!.assignmentId } })).toBe(1);

    // A new key on an already judged task is refused, not written.
    await expectAppError(submitJudgement(annotator, judgement(task!.assignmentId)), "conflict");
    // A used key on another assignment is refused.
    const next = await claimNextTask(annotator, { batchId });
    await expectAppError(submitJudgement(annotator, { ...input, assignmentId: next!.assignmentId }), "conflict");
    await closeBatch(admin, batchId);
  });

  it("hands out tasks from active batches only", async () => {
    const admin = await makeUser("admin");
    const annotator = await makeUser("annotator");
    const batchId = await makeActiveBatch(admin, { comparisons: 2, overlap: 1 });
    await setBatchStatus(admin, batchId, { status: "paused" });
    expect(await claimNextTask(annotator, { batchId })).toBeNull();
    await setBatchStatus(admin, batchId, { status: "active" });
    expect(await claimNextTask(annotator, { batchId })).not.toBeNull();
    await closeBatch(admin, batchId);
  });

  it("skips with a reason: the annotator never sees it again, and the slot goes to someone else", async () => {
    const admin = await makeUser("admin");
    const [a, b] = await Promise.all([makeUser("annotator"), makeUser("annotator")]);
    const batchId = await makeActiveBatch(admin, { comparisons: 1, overlap: 1 });
    const task = await claimNextTask(a, { batchId });
    await skipTask(a, { assignmentId: task!.assignmentId, reason: "outside_expertise" });
    expect(await claimNextTask(a, { batchId })).toBeNull();
    expect(await claimNextTask(b, { batchId })).not.toBeNull();
    const skipped = await db.assignment.findUniqueOrThrow({ where: { id: task!.assignmentId } });
    expect(skipped).toMatchObject({ status: "skipped", skipReason: "outside_expertise" });
    await closeBatch(admin, batchId);
  });

  it("requires both safety labels in batches that require them, and derives the safety bin", async () => {
    const admin = await makeUser("admin");
    const annotator = await makeUser("annotator");
    const batchId = await makeActiveBatch(admin, { comparisons: 1, overlap: 1, focus: "safety" });
    const task = await claimNextTask(annotator, { batchId });
    expect(task!.batch.requireSafety).toBe(true);
    await expectAppError(submitJudgement(annotator, judgement(task!.assignmentId)), "invalid_input");
    const saved = await submitJudgement(annotator, judgement(task!.assignmentId, { chosen: "right", safety: { left: "unsafe", right: "safe" } }));
    expect(saved.safetyBin).toBe("chosen_safe_rejected_unsafe");
    expect(saved.safety).toEqual({ left: "unsafe", right: "safe" });
    const row = await db.judgement.findUniqueOrThrow({ where: { id: saved.id } });
    expect(row).toMatchObject({
      chosenResponseId: task!.right.id,
      rejectedResponseId: task!.left.id,
      chosenSafety: "safe",
      rejectedSafety: "unsafe",
      chosenSide: "right",
    });
    await closeBatch(admin, batchId);
  });

  it("refuses roles without the permission", async () => {
    const [admin, researcher] = await Promise.all([makeUser("admin"), makeUser("researcher")]);
    await expectAppError(claimNextTask(admin, {}), "forbidden");
    await expectAppError(claimNextTask(researcher, {}), "forbidden");
    await expectAppError(submitJudgement(admin, judgement("x")), "forbidden");
  });
});
