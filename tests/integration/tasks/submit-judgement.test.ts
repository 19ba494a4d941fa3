// One idempotency key sent for two assignments at the same moment (issue 9: it gave a 500; one after the other, 409).
import { describe, expect, it } from "vitest";
import * as judgementsRoute from "@/app/api/v1/judgements/route";
import { claimNextTask } from "@/server/tasks/claim-next-task";
import { submitJudgement } from "@/server/tasks/submit-judgement";
import { skipTask } from "@/server/tasks/skip-task";
import { AppError } from "@/server/errors";
import { db } from "@/server/db";
import { closeBatch, makeActiveBatch, makeUser } from "../fixtures";
import { callRoute, tokenFor } from "../api-call";

describe("submitJudgement under a reused key", () => {
  it("answers one 200 and one 409, never a 500, when one key names two assignments at once", async () => {
    const admin = await makeUser("admin");
    const annotator = await makeUser("annotator", "Key vendor");
    const token = await tokenFor(annotator);
    const batches = [await makeActiveBatch(admin, { comparisons: 1, overlap: 1 }), await makeActiveBatch(admin, { comparisons: 1, overlap: 1 })];
    const tasks = [await claimNextTask(annotator, { batchId: batches[0] }), await claimNextTask(annotator, { batchId: batches[1] })];
    const ids = tasks.map((t) => t!.assignmentId);
    expect(new Set(ids).size).toBe(2);
    const key = `same-key-${Date.now()}`;
    const answers = await Promise.all(
      ids.map((assignmentId) =>
        callRoute(judgementsRoute.POST, token, {
          method: "POST",
          body: { assignmentId, chosen: "left", degree: "better", idempotencyKey: key, timeSpentMs: 1000 },
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    for (const batchId of batches) await closeBatch(admin, batchId);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Races tested as races (issue 13): many attempts, each sending its contenders at the same moment over separate
// connections of the pool, and a check that the race went both ways across the attempts (so the contenders really
// met, rather than one always finishing before the other started).

type Outcome<T> = { ok: true; value: T } | { ok: false; code: string };

async function outcome<T>(promise: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, code: error.code };
    throw error;
  }
}

/** Runs the calls at once, dispatched in a random order with up to 2 ms between them, and answers in the given order. */
async function atOnce<T extends unknown[]>(...calls: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  const order = calls.map((_, i) => i).sort(() => Math.random() - 0.5);
  const results: Promise<unknown>[] = new Array(calls.length);
  for (const i of order) {
    results[i] = calls[i]();
    if (Math.random() < 0.5) await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 3)));
  }
  return (await Promise.all(results)) as T;
}

/** `attempts` attempts, `parallel` of them at a time (each on a batch of its own). */
async function attemptsInParallel(attempts: number, parallel: number, attempt: (n: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < attempts; start += parallel) {
    await Promise.all(Array.from({ length: Math.min(parallel, attempts - start) }, (_, i) => attempt(start + i)));
  }
}

async function expireLease(assignmentId: string): Promise<void> {
  await db.$executeRaw`UPDATE "Assignment" SET "leaseExpiresAt" = (now() AT TIME ZONE 'UTC') - interval '1 second' WHERE id = ${assignmentId}`;
}

function judge(assignmentId: string, idempotencyKey = `race-${assignmentId}`) {
  return { assignmentId, chosen: "left" as const, degree: "better" as const, idempotencyKey, timeSpentMs: 1200 };
}

async function judgementsOf(comparisonId: string) {
  return db.judgement.findMany({ where: { comparisonId }, select: { id: true, annotatorId: true } });
}

describe("races of the annotation loop", () => {
  it("a late submit on an expired lease against two rivals claiming its slot: exactly k judgements, nobody twice, both outcomes", async () => {
    const K = 2;
    const admin = await makeUser("admin");
    const [late, holder, rivalA, rivalB] = await Promise.all([0, 1, 2, 3].map(() => makeUser("annotator")));
    const seen = { submitWon: 0, claimWon: 0 };
    await attemptsInParallel(40, 4, async () => {
      const batchId = await makeActiveBatch(admin, { comparisons: 1, overlap: K });
      const mine = (await claimNextTask(late, { batchId }))!;
      const held = (await claimNextTask(holder, { batchId }))!;
      const { comparisonId } = await db.assignment.findUniqueOrThrow({ where: { id: mine.assignmentId } });
      await expireLease(mine.assignmentId);

      const [submitted, claimA, claimB] = await atOnce(
        () => outcome(submitJudgement(late, judge(mine.assignmentId))),
        () => claimNextTask(rivalA, { batchId }),
        () => claimNextTask(rivalB, { batchId }),
      );
      const rivals = [claimA, claimB].filter((task) => task !== null);
      if (submitted.ok) {
        seen.submitWon += 1;
        expect(rivals).toEqual([]); // the slot stayed the late judgement's
      } else {
        seen.claimWon += 1;
        expect(submitted.code).toBe("lease_expired");
        expect(rivals).toHaveLength(1); // one rival took the slot over, the other found nothing
        expect((await db.assignment.findUniqueOrThrow({ where: { id: mine.assignmentId } })).status).toBe("lapsed");
      }
      // Everyone who holds a task of the comparison judges it; nothing more can be claimed.
      await submitJudgement(holder, judge(held.assignmentId));
      for (const [rival, task] of [
        [rivalA, claimA],
        [rivalB, claimB],
      ] as const)
        if (task) await submitJudgement(rival, judge(task.assignmentId));
      expect(await claimNextTask(await makeUser("annotator"), { batchId })).toBeNull();

      const judgements = await judgementsOf(comparisonId);
      expect(judgements).toHaveLength(K);
      expect(new Set(judgements.map((j) => j.annotatorId)).size).toBe(K);
      expect((await db.comparison.findUniqueOrThrow({ where: { id: comparisonId } })).openSlots).toBe(0);
      await closeBatch(admin, batchId);
    });
    // The race went both ways: sometimes the late judgement locked the assignment first, sometimes a claim did.
    expect(seen.submitWon).toBeGreaterThan(0);
    expect(seen.claimWon).toBeGreaterThan(0);
    console.info(`late submit vs. rival claims, 40 attempts: submit won ${seen.submitWon}, a claim won ${seen.claimWon}`);
  }, 300_000);

  it("a retry of a late judgement whose slot was taken over (then freed) returns the original judgement, whoever wins the free slot", async () => {
    const admin = await makeUser("admin");
    const [late, holder, taker, rival] = await Promise.all([0, 1, 2, 3].map(() => makeUser("annotator")));
    const seen = { lateKept: 0, rivalTook: 0 };
    await attemptsInParallel(30, 3, async () => {
      const batchId = await makeActiveBatch(admin, { comparisons: 1, overlap: 2 });
      const mine = (await claimNextTask(late, { batchId }))!;
      const held = (await claimNextTask(holder, { batchId }))!;
      const { comparisonId } = await db.assignment.findUniqueOrThrow({ where: { id: mine.assignmentId } });
      // The late annotator's lease runs out and another annotator takes its slot over; then a slot opens again.
      await expireLease(mine.assignmentId);
      const taken = (await claimNextTask(taker, { batchId }))!;
      expect(taken).not.toBeNull();
      expect((await db.assignment.findUniqueOrThrow({ where: { id: mine.assignmentId } })).status).toBe("lapsed");
      await skipTask(holder, { assignmentId: held.assignmentId, reason: "other" });

      // The late judgement, its retry (same key) and a rival's claim of the open slot, at once.
      const input = judge(mine.assignmentId);
      const [first, retry, claimed] = await atOnce(
        () => outcome(submitJudgement(late, input)),
        () => outcome(submitJudgement(late, input)),
        () => claimNextTask(rival, { batchId }),
      );
      if (first.ok || retry.ok) {
        seen.lateKept += 1;
        if (!first.ok || !retry.ok) throw new Error(`one of a submit and its retry was refused: ${JSON.stringify([first, retry])}`);
        expect(retry.value.id).toBe(first.value.id);
        expect(claimed).toBeNull();
        // Once more after the slot is long gone and after the batch closed: the same judgement, no second row.
        await submitJudgement(taker, judge(taken.assignmentId));
        await closeBatch(admin, batchId);
        const again = await submitJudgement(late, input);
        expect(again.id).toBe(first.value.id);
        expect((await judgementsOf(comparisonId)).filter((j) => j.annotatorId === late.id)).toHaveLength(1);
      } else {
        seen.rivalTook += 1;
        expect([first.code, retry.code]).toEqual(["lease_expired", "lease_expired"]);
        expect(claimed).not.toBeNull();
        await closeBatch(admin, batchId);
        expect((await judgementsOf(comparisonId)).filter((j) => j.annotatorId === late.id)).toHaveLength(0);
      }
      expect((await judgementsOf(comparisonId)).length).toBeLessThanOrEqual(2);
    });
    expect(seen.lateKept).toBeGreaterThan(0);
    expect(seen.rivalTook).toBeGreaterThan(0);
    console.info(`late judgement + retry vs. a rival's claim, 30 attempts: the late one kept ${seen.lateKept}, the rival took ${seen.rivalTook}`);
  }, 300_000);

  it("a retry sent after the lease ran out, while a rival claims and the batch closes, and again after: the original judgement, no second row", async () => {
    const admin = await makeUser("admin");
    const [annotator, rival] = await Promise.all([makeUser("annotator"), makeUser("annotator")]);
    await attemptsInParallel(30, 3, async () => {
      const batchId = await makeActiveBatch(admin, { comparisons: 1, overlap: 1 });
      const task = (await claimNextTask(annotator, { batchId }))!;
      const input = judge(task.assignmentId);
      const original = await submitJudgement(annotator, input); // its answer was lost on the way back
      await expireLease(task.assignmentId);
      const [retry, claimed] = await atOnce(
        () => submitJudgement(annotator, input),
        () => claimNextTask(rival, { batchId }),
        () => closeBatch(admin, batchId),
      );
      expect(retry.id).toBe(original.id);
      expect(claimed).toBeNull();
      expect((await submitJudgement(annotator, input)).id).toBe(original.id); // and once more, the batch closed
      expect((await judgementsOf(original.comparisonId)).map((j) => j.id)).toEqual([original.id]);
    });
  }, 300_000);
});
