// npm run bench:scale — a claim costs the same at any size (issue 8, point 4). Fills two databases through the
// project's own schema (tests/support/fill-batch.ts: SQL, with the queue's triggers keeping its state as the app
// would): 1,000,000 comparisons with 2,000,000 judgements, and 10,000 comparisons filled in the same proportions.
// Then one annotator claims and judges 200 tasks in each, alternating between the two so that the machine's noise
// falls on both alike, and the claim's p99 at 1,000,000 is compared with its p99 at 10,000 (goal: ≤ 1.5×).
// BENCH_LARGE and BENCH_SMALL change the sizes; BENCH_KEEP=1 keeps the databases.
import { randomUUID } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { createTestDatabase, dropTestDatabase, uniqueDatabaseName } from "../../tests/support/test-database";
import { fillBatch } from "../../tests/support/fill-batch";
import { recountQueue, type QueueRecount } from "../../tests/support/queue-recount";
import { CLAIM } from "../../server/tasks/claim-next-task";
import { SUBMIT } from "../../server/tasks/submit-judgement";
import { SESSION_OPTIONS } from "../../server/pg-pool";
import { describeMachine, finishBench, latencySummary } from "../support/report";
import { ROOT } from "../support/next-server";

const LARGE = Number(process.env.BENCH_LARGE ?? 1_000_000);
const SMALL = Number(process.env.BENCH_SMALL ?? 10_000);
const CLAIMS = 200;
const OVERLAP = 3;
// 2,000,000 judgements on 1,000,000 comparisons at k = 3: two thirds of the comparisons are full.
const FULL_SHARE = 2 / 3;

type Side = {
  name: string;
  url: string;
  client: pg.Client;
  batchId: string;
  annotatorId: string;
  claims: number[];
  fillSeconds: number;
  recount: QueueRecount;
};

async function prepareSide(label: string, comparisons: number): Promise<Side> {
  const name = uniqueDatabaseName(`pairwise_scale_${label}`);
  const url = await createTestDatabase(name);
  const client = new pg.Client({ connectionString: url, options: SESSION_OPTIONS });
  await client.connect();
  const started = Date.now();
  const full = Math.floor(comparisons * FULL_SHARE);
  console.error(`${label}: filling ${comparisons.toLocaleString("en")} comparisons, ${(full * OVERLAP).toLocaleString("en")} judgements`);
  const filled = await fillBatch(client, { prefix: label, comparisons, overlap: OVERLAP, full, annotators: 60 });
  const fillSeconds = Math.round((Date.now() - started) / 100) / 10;
  console.error(`${label}: filled in ${fillSeconds} s; recounting the queue's state`);
  // The fill must leave the queue exactly as the app's own writes would: every kept counter against its rows.
  const recount = await recountQueue(client, filled.batchId);
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO "User" (id, email, name, "passwordHash", role, "updatedAt") VALUES ($1, $1 || '@scale.test', 'Scale', 'no-password', 'annotator', now()) RETURNING id`,
    [`${label}-claimer-${randomUUID().slice(0, 8)}`],
  );
  return { name, url, client, batchId: filled.batchId, annotatorId: rows[0].id, claims: [], fillSeconds, recount };
}

/** One claim (timed: the statement a claim through the API runs, the task view included), then a judgement. */
async function claimAndJudge(side: Side, round: number): Promise<void> {
  const started = performance.now();
  const { rows } = await side.client.query<{ assignmentId: string }>({
    name: CLAIM.name,
    text: CLAIM.text,
    values: [side.annotatorId, side.batchId, round % 2 === 0],
  });
  side.claims.push(performance.now() - started);
  const id = rows[0]?.assignmentId;
  if (!id) throw new Error(`${side.name}: nothing left to claim`);
  await side.client.query({
    name: SUBMIT.name,
    text: SUBMIT.text,
    values: [side.annotatorId, null, id, `scale-${round}`, "left", "better", null, null, null, 1000],
  });
}

async function main() {
  const small = await prepareSide("small", SMALL);
  const large = await prepareSide("large", LARGE);
  try {
    const machine = await describeMachine(large.url);
    // The fills wrote gigabytes: flush them now, so that a checkpoint of the bulk load does not land in the middle of
    // the claims being timed (a running batch's writes come a few at a time, not 2 GB at once).
    await large.client.query("CHECKPOINT");
    // A few rounds first so that both connections have their statements prepared and caches warm.
    for (let round = 0; round < 5; round++) {
      await claimAndJudge(small, round);
      await claimAndJudge(large, round);
    }
    small.claims = [];
    large.claims = [];
    for (let round = 5; round < CLAIMS + 5; round++) {
      const [first, second] = round % 2 ? [small, large] : [large, small];
      await claimAndJudge(first, round);
      await claimAndJudge(second, round);
    }
    const smallStats = latencySummary(small.claims);
    const largeStats = latencySummary(large.claims);
    const ratio = Math.round((largeStats.p99 / smallStats.p99) * 100) / 100;
    const figures = {
      overlap: OVERLAP,
      small: { comparisons: SMALL, judgements: Math.floor(SMALL * FULL_SHARE) * OVERLAP, fillSeconds: small.fillSeconds, claimMs: smallStats },
      large: { comparisons: LARGE, judgements: Math.floor(LARGE * FULL_SHARE) * OVERLAP, fillSeconds: large.fillSeconds, claimMs: largeStats },
      p99Ratio: ratio,
      recountAfterFill: { small: small.recount, large: large.recount },
    };
    const disagreements = [small, large].reduce((sum, side) => sum + Object.values(side.recount).reduce((a, b) => a + b, 0), 0);
    console.log(JSON.stringify(figures, null, 2));
    process.exitCode = finishBench(path.join(ROOT, "bench", "scale"), machine, figures, [
      { name: `claim p99 at ${LARGE.toLocaleString("en")} ÷ p99 at ${SMALL.toLocaleString("en")}`, value: ratio, limit: 1.5, kind: "max" },
      { name: "queue state that disagrees with a recount after the fill", value: disagreements, limit: 0, kind: "max" },
    ]);
  } finally {
    for (const side of [small, large]) {
      await side.client.end();
      if (process.env.BENCH_KEEP !== "1") await dropTestDatabase(side.name);
      else console.error(`kept database ${side.name}`);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
