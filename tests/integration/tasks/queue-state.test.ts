// The queue's counters (open slots, response counts, claimability, batch tallies) are kept by triggers in the
// same transactions as the writes. Whatever annotators do, in any order (claim, judge, skip, let a lease run out,
// judge late), the counters equal a recount, no comparison holds more than k slots or judgements, and nobody is
// given a comparison twice.
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimNextTask } from "@/server/tasks/claim-next-task";
import { submitJudgement } from "@/server/tasks/submit-judgement";
import { skipTask } from "@/server/tasks/skip-task";
import { SESSION_OPTIONS } from "@/server/pg-pool";
import { AppError } from "@/server/errors";
import type { Actor } from "@/server/auth/permissions";
import { closeBatch, makeActiveBatch, makeUser } from "../fixtures";

type Step = { who: number; what: "claim" | "judge" | "skip" | "expire" };

const step = fc.record({ who: fc.integer({ min: 0, max: 3 }), what: fc.constantFrom("claim", "judge", "skip", "expire") }) as fc.Arbitrary<Step>;

/** Differences between the counters and a recount of the rows, for one batch; empty when they agree. */
async function counterDrift(client: pg.Client, batchId: string): Promise<unknown[]> {
  const slots = await client.query(
    `SELECT c.id, c."openSlots", b.overlap - count(a.id) FILTER (WHERE a.status IN ('leased', 'submitted')) AS expected
       FROM "Comparison" c JOIN "Batch" b ON b.id = c."batchId" LEFT JOIN "Assignment" a ON a."comparisonId" = c.id
      WHERE c."batchId" = $1 GROUP BY c.id, b.overlap
     HAVING c."openSlots" <> b.overlap - count(a.id) FILTER (WHERE a.status IN ('leased', 'submitted'))`,
    [batchId],
  );
  const pairs = await client.query(
    `SELECT c.id FROM "Comparison" c
      WHERE c."batchId" = $1 AND (c."responseCount" <> (SELECT count(*) FROM "Response" r WHERE r."comparisonId" = c.id) OR NOT c.claimable)`,
    [batchId],
  );
  const tally = await client.query(
    `SELECT (SELECT sum(comparisons) FROM "BatchTally" WHERE "batchId" = $1) - (SELECT count(*) FROM "Comparison" WHERE "batchId" = $1) AS comparisons,
            (SELECT sum(judgements) FROM "BatchTally" WHERE "batchId" = $1)
              - (SELECT count(*) FROM "Judgement" j JOIN "Comparison" c ON c.id = j."comparisonId" WHERE c."batchId" = $1) AS judgements,
            (SELECT sum("lackingResponses") FROM "BatchTally" WHERE "batchId" = $1) AS lacking`,
    [batchId],
  );
  const over = await client.query(
    `SELECT c.id FROM "Comparison" c JOIN "Batch" b ON b.id = c."batchId"
      WHERE c."batchId" = $1
        AND (SELECT count(*) FROM "Judgement" j WHERE j."comparisonId" = c.id) > b.overlap`,
    [batchId],
  );
  const t = tally.rows[0];
  return [
    ...slots.rows.map((r) => ({ openSlots: r })),
    ...pairs.rows.map((r) => ({ pair: r })),
    ...(Number(t.comparisons) !== 0 || Number(t.judgements) !== 0 || Number(t.lacking) !== 0 ? [{ tally: t }] : []),
    ...over.rows.map((r) => ({ aboveK: r })),
  ];
}

describe("the queue's counters", () => {
  let client: pg.Client;
  let admin: Actor;
  let annotators: Actor[];

  beforeAll(async () => {
    client = new pg.Client({ connectionString: process.env.DATABASE_URL, options: SESSION_OPTIONS });
    await client.connect();
    admin = await makeUser("admin");
    annotators = await Promise.all([0, 1, 2, 3].map(() => makeUser("annotator")));
  });

  afterAll(async () => {
    await client?.end();
  });

  it("equal a recount after any sequence of claims, judgements, skips and expired leases", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 40 }), async (steps) => {
        const batchId = await makeActiveBatch(admin, { comparisons: 5, overlap: 2 });
        const held = new Map<number, string>();
        let key = 0;
        for (const { who, what } of steps) {
          const annotator = annotators[who];
          const assignmentId = held.get(who);
          try {
            if (what === "claim") {
              const task = await claimNextTask(annotator, { batchId });
              if (task) held.set(who, task.assignmentId);
            } else if (what === "expire" && assignmentId) {
              await client.query(`UPDATE "Assignment" SET "leaseExpiresAt" = now() AT TIME ZONE 'UTC' - interval '1 second' WHERE id = $1`, [
                assignmentId,
              ]);
            } else if (what === "skip" && assignmentId) {
              await skipTask(annotator, { assignmentId, reason: "other" });
              held.delete(who);
            } else if (what === "judge" && assignmentId) {
              key += 1;
              await submitJudgement(annotator, {
                assignmentId,
                chosen: "left",
                degree: "better",
                idempotencyKey: `state-${batchId}-${key}`,
                timeSpentMs: 5,
              });
              held.delete(who);
            }
          } catch (error) {
            // Refusals the rules call for (a late judgement whose slot was taken, a task already judged) are fine.
            if (!(error instanceof AppError) || !["lease_expired", "conflict"].includes(error.code)) throw error;
            held.delete(who);
          }
        }
        expect(await counterDrift(client, batchId)).toEqual([]);
        await closeBatch(admin, batchId);
        expect(await counterDrift(client, batchId)).toEqual([]);
      }),
      { numRuns: 25 },
    );
  }, 300_000);

  it("are kept when comparisons are imported, and nobody is handed one twice under parallel claims", async () => {
    const batchId = await makeActiveBatch(admin, { comparisons: 30, overlap: 3 });
    const crowd = await Promise.all(Array.from({ length: 8 }, () => makeUser("annotator")));
    await Promise.all(
      crowd.map(async (annotator, i) => {
        for (let n = 0; ; n++) {
          const task = await claimNextTask(annotator, { batchId });
          if (!task) return;
          if ((n + i) % 5 === 0) await skipTask(annotator, { assignmentId: task.assignmentId, reason: "other" });
          else
            await submitJudgement(annotator, {
              assignmentId: task.assignmentId,
              chosen: "right",
              degree: "slightly_better",
              idempotencyKey: `crowd-${task.assignmentId}`,
              timeSpentMs: 3,
            });
        }
      }),
    );
    expect(await counterDrift(client, batchId)).toEqual([]);
    const twice = await client.query(
      `SELECT a."comparisonId", a."annotatorId" FROM "Assignment" a JOIN "Comparison" c ON c.id = a."comparisonId"
        WHERE c."batchId" = $1 GROUP BY 1, 2 HAVING count(*) > 1`,
      [batchId],
    );
    expect(twice.rows).toEqual([]);
    await closeBatch(admin, batchId);
  }, 120_000);
});
