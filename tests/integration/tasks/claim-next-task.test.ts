// The claim's cost does not grow with the batch: among 200,000 comparisons (150,000 of them full), every statement
// of the claim (with the task view it returns), the submit and the progress counter reads a bounded number of rows through indexes,
// with no sequential scan of comparisons, assignments or judgements and no JIT. The plans are the real ones: the
// claim and submit run inside database functions, so auto_explain reports each nested statement as it runs.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLAIM, claimNextTask } from "@/server/tasks/claim-next-task";
import { SUBMIT } from "@/server/tasks/submit-judgement";
import { PROGRESS } from "@/server/tasks/queries";
import { SESSION_OPTIONS, queryRows } from "@/server/pg-pool";
import { fillBatch, type FilledBatch } from "../../support/fill-batch";
import { recountQueue, type QueueRecount } from "../../support/queue-recount";
import { db } from "@/server/db";
import { closeBatch, makeActiveBatch, makeUser } from "../fixtures";

type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
};
type ExplainedStatement = { "Query Text": string; Plan: PlanNode; JIT?: unknown };

const QUEUE_TABLES = new Set(["Comparison", "Assignment", "Judgement"]);
const SCANS = new Set(["Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Bitmap Index Scan"]);

function walk(node: PlanNode, visit: (node: PlanNode) => void): void {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

/**
 * Rows a statement read from the tables that grow with the work (comparisons, assignments, judgements): every
 * scan's returned and filtered-out rows, over all its loops. (BatchTally holds at most 16 rows a batch; while it is
 * small the planner may well read it whole.)
 */
function rowsRead(plan: PlanNode): { rows: number; scans: string[] } {
  let rows = 0;
  const scans: string[] = [];
  walk(plan, (node) => {
    if (!SCANS.has(node["Node Type"]) || node["Node Type"] === "Bitmap Index Scan") return;
    if (!QUEUE_TABLES.has(node["Relation Name"] ?? "")) return;
    const read = ((node["Actual Rows"] ?? 0) + (node["Rows Removed by Filter"] ?? 0)) * (node["Actual Loops"] ?? 1);
    rows += read;
    scans.push(`${node["Node Type"]} ${node["Relation Name"]} ${node["Index Name"] ?? ""}: ${read}`);
  });
  return { rows, scans };
}

function sequentialScans(plan: PlanNode): string[] {
  const found: string[] = [];
  walk(plan, (node) => {
    if (node["Node Type"] === "Seq Scan" && QUEUE_TABLES.has(node["Relation Name"] ?? "")) found.push(node["Relation Name"]!);
  });
  return found;
}

describe("claiming among 200,000 comparisons", () => {
  let client: pg.Client;
  let filled: FilledBatch;
  let recountAfterFill: QueueRecount;
  const statements: ExplainedStatement[] = [];

  beforeAll(async () => {
    // The app's own session settings (UTC, no JIT), as its pool opens every connection.
    client = new pg.Client({ connectionString: process.env.DATABASE_URL, options: SESSION_OPTIONS });
    await client.connect();
    filled = await fillBatch(client, {
      prefix: `plan-${randomUUID().slice(0, 8)}`,
      comparisons: 200_000,
      overlap: 2,
      full: 150_000,
      annotators: 40,
    });
    // Before anything is explained: the fill's state, recounted from its rows.
    recountAfterFill = await recountQueue(client, filled.batchId);
    // The oldest active batch, so that claims across every batch (batch null) start here whatever batches other
    // files left active in this run's database: the file passes alone and in any order.
    await client.query(`UPDATE "Batch" SET "createdAt" = '2000-01-01' WHERE id = $1`, [filled.batchId]);
    // A lease that ran out, held by an annotator of the pool on the first open comparison: the claim takes it over.
    await client.query(
      `INSERT INTO "Assignment" (id, "comparisonId", "annotatorId", "leftResponseId", "rightResponseId", status, "leasedAt", "leaseExpiresAt")
       VALUES ($1 || '-expired', $1 || '-c150000', $2, $1 || '-r150000-0', $1 || '-r150000-1', 'leased',
               now() AT TIME ZONE 'UTC' - interval '1 hour', now() AT TIME ZONE 'UTC' - interval '45 minutes')`,
      [filled.batchId, filled.annotatorIds[0]],
    );
    client.on("notice", (notice) => {
      const json = notice.message?.replace(/^duration: [\d.]+ ms\s+plan:\s*/, "");
      if (json?.startsWith("{")) statements.push(JSON.parse(json) as ExplainedStatement);
    });
    await client.query(`LOAD 'auto_explain'`);
    for (const setting of [
      "auto_explain.log_min_duration = 0",
      "auto_explain.log_analyze = on",
      "auto_explain.log_timing = off",
      "auto_explain.log_nested_statements = on",
      "auto_explain.log_format = json",
      "auto_explain.log_level = notice",
    ]) {
      await client.query(`SET ${setting}`);
    }
  }, 600_000);

  afterAll(async () => {
    await client?.end();
  });

  it("starts from the state the app's own writes would have left (the fill's bulk tally included)", () => {
    expect(recountAfterFill).toEqual({ openSlots: 0, responseCount: 0, claimable: 0, tally: 0 });
  });

  it("reads a bounded number of rows through indexes, with no sequential scan and no JIT", async () => {
    const annotator = await makeUser("annotator");
    const claimed: string[] = [];
    // More rounds than Postgres's five custom plans, so the functions' cached generic plans are checked too.
    for (let round = 0; round < 12; round++) {
      const [task] = (await client.query<{ assignmentId: string }>(CLAIM.text, [annotator.id, round % 2 ? filled.batchId : null, round % 3 === 0]))
        .rows;
      expect(task?.assignmentId, `claim ${round} found a task`).toBeTruthy();
      const id = task.assignmentId;
      claimed.push(id);
      await client.query(SUBMIT.text, [annotator.id, null, id, `key-${round}-${id}`, "left", "better", null, null, null, 1000]);
      await client.query(PROGRESS.text, [annotator.id, filled.batchId]);
    }
    // The first claim took the expired lease over; the others took the next open comparisons in order.
    const first = await client.query(`SELECT "comparisonId" FROM "Assignment" WHERE id = $1`, [claimed[0]]);
    expect(first.rows[0].comparisonId).toBe(`${filled.batchId}-c150000`);
    const lapsed = await client.query(`SELECT status FROM "Assignment" WHERE id = $1`, [`${filled.batchId}-expired`]);
    expect(lapsed.rows[0].status).toBe("lapsed");

    const relevant = statements.filter((s) => /"(Comparison|Assignment|Judgement|BatchTally)"/.test(s["Query Text"]));
    expect(relevant.length).toBeGreaterThan(12 * 4);
    // The task view was among them (inside the claim).
    expect(relevant.some((s) => s["Query Text"].includes('"Response" l ON l.id = a."leftResponseId"'))).toBe(true);
    const report = relevant.map((s) => ({
      query: s["Query Text"].replace(/\s+/g, " ").slice(0, 120),
      read: rowsRead(s.Plan),
      seq: sequentialScans(s.Plan),
      jit: s.JIT !== undefined,
    }));
    for (const line of report) {
      expect(line.seq, `sequential scan in: ${line.query}`).toEqual([]);
      expect(line.jit, `JIT in: ${line.query}`).toBe(false);
      // This annotator's own judgements of still-open comparisons are the only rows a claim steps over.
      expect(line.read.rows, `rows read by: ${line.query} (${line.read.scans.join("; ")})`).toBeLessThanOrEqual(60);
    }
    // The app's connections never JIT-compile, whatever a plan's cost.
    expect((await queryRows<{ jit: string }>("SHOW jit"))[0].jit).toBe("off");
    // The hand-out statement (the partial index of open comparisons) was among them.
    const handOut = relevant.filter((s) => JSON.stringify(s.Plan).includes("Comparison_queue_idx"));
    expect(handOut.length).toBeGreaterThanOrEqual(10);
  }, 120_000);
});

// "Each task is a 15-minute lease" (README): the batch's leaseSeconds, 900 by default, counted from the claim. The
// bounds are read from the database's own clock just before and after the call, so no clock skew can hide an error.
describe("the lease a claim hands out", () => {
  const databaseNow = async () => (await db.$queryRaw<{ now: Date }[]>`SELECT clock_timestamp() AS now`)[0].now.getTime();

  it("runs out exactly the batch's leaseSeconds after the claim: 900 s (15 minutes) by default, or the batch's own setting", async () => {
    const admin = await makeUser("admin");
    for (const leaseSeconds of [undefined, 120, 5]) {
      const batchId = await makeActiveBatch(admin, { comparisons: 1, overlap: 1, leaseSeconds });
      const setting = (await db.batch.findUniqueOrThrow({ where: { id: batchId } })).leaseSeconds;
      expect(setting).toBe(leaseSeconds ?? 15 * 60);
      const annotator = await makeUser("annotator");
      const before = await databaseNow();
      const task = await claimNextTask(annotator, { batchId });
      const after = await databaseNow();
      const leasedAt = Date.parse(task!.leasedAt);
      expect(leasedAt).toBeGreaterThanOrEqual(before);
      expect(leasedAt).toBeLessThanOrEqual(after);
      expect(Date.parse(task!.leaseExpiresAt) - leasedAt).toBe(setting * 1000);
      // What the page shows is what is stored.
      const row = await db.assignment.findUniqueOrThrow({ where: { id: task!.assignmentId } });
      expect(row.leasedAt.getTime()).toBe(leasedAt);
      expect(row.leaseExpiresAt.getTime() - row.leasedAt.getTime()).toBe(setting * 1000);
      await closeBatch(admin, batchId);
    }
  });

  it("is renewed for the batch's leaseSeconds from the new claim when it ran out and nobody took the slot, and a takeover gets a full lease too", async () => {
    const admin = await makeUser("admin");
    const batchId = await makeActiveBatch(admin, { comparisons: 1, overlap: 1, leaseSeconds: 300 });
    const [first, second] = [await makeUser("annotator"), await makeUser("annotator")];
    const task = await claimNextTask(first, { batchId });
    const expire = () => db.assignment.update({ where: { id: task!.assignmentId }, data: { leaseExpiresAt: new Date(Date.now() - 60_000) } });

    // Ran out, nobody took it: the same task comes back with a new lease of 300 s from this claim.
    await expire();
    const before = await databaseNow();
    const again = await claimNextTask(first, { batchId });
    const after = await databaseNow();
    expect(again!.assignmentId).toBe(task!.assignmentId);
    const renewed = Date.parse(again!.leaseExpiresAt);
    expect(renewed).toBeGreaterThanOrEqual(before + 300_000);
    expect(renewed).toBeLessThanOrEqual(after + 300_000);

    // Ran out again: another annotator takes the slot over with a lease of its own, 300 s from its claim.
    await expire();
    const taken = await claimNextTask(second, { batchId });
    expect(taken).not.toBeNull();
    expect(taken!.assignmentId).not.toBe(task!.assignmentId);
    expect(Date.parse(taken!.leaseExpiresAt) - Date.parse(taken!.leasedAt)).toBe(300_000);
    expect((await db.assignment.findUniqueOrThrow({ where: { id: task!.assignmentId } })).status).toBe("lapsed");
    await closeBatch(admin, batchId);
  });
});
