// The insights figures on a real database: a hand-built set of judgements (a biased annotator who always picks the
// left side, a fast one at 2 s a judgement, a careful one) over three model variants of known order, checked figure
// by figure; agreement checked against lib/agreement computed from the judgements themselves (another path than the
// SQL coincidence cells); filters, permissions and bad input.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { krippendorffAlpha, pairCounts, rawAgreement, signedScaleFromSlot } from "@/lib/agreement";
import { db } from "@/server/db";
import { createBatch } from "@/server/batches/create-batch";
import { importItems } from "@/server/imports/import-items";
import { setBatchStatus } from "@/server/batches/set-batch-status";
import { getInsights } from "@/server/insights/queries";
import { claimNextTask } from "@/server/tasks/claim-next-task";
import { skipTask } from "@/server/tasks/skip-task";
import { submitJudgement } from "@/server/tasks/submit-judgement";
import type { Actor } from "@/server/auth/permissions";
import type { TaskView } from "@/server/tasks/task-view";
import { chunks, closeBatch, makeUser } from "../fixtures";
import { callRoute, expectAppError, tokenFor } from "../api-call";
import * as insightsRoute from "@/app/api/v1/insights/route";

const run = randomUUID().slice(0, 8);
// Three variants; the careful and the fast annotator always prefer the stronger: c over b over a.
const VARIANTS = [`insight-a-${run}`, `insight-b-${run}`, `insight-c-${run}`];
const PAIRS = [
  [0, 1],
  [1, 2],
  [0, 2],
] as const;

function line(i: number): string {
  const [x, y] = PAIRS[i % 3];
  // Alternate which variant is stored first, so "stronger" and "first stored" are not the same thing.
  const [first, second] = i % 2 === 0 ? [x, y] : [y, x];
  return JSON.stringify({
    prompt: `Insight question ${i} (${run})`,
    responses: [
      { content: `Answer from ${VARIANTS[first]} to ${i}.`, model: { name: VARIANTS[first], version: "v1" } },
      { content: `Answer from ${VARIANTS[second]} to ${i}.`, model: { name: VARIANTS[second], version: "v1" } },
    ],
  });
}

async function makeBatch(admin: Actor, comparisons: number, overlap: number, focus: "helpfulness" | "safety"): Promise<string> {
  const { id } = await createBatch(admin, {
    name: `insights ${focus} ${run}`,
    focus,
    overlap,
    guidelines: "Pick the better one.",
    requireSafety: focus === "safety",
  });
  const report = await importItems(admin, id, "pairwise", chunks(Array.from({ length: comparisons }, (_, i) => line(i)).join("\n")));
  expect(report.imported).toBe(comparisons);
  await setBatchStatus(admin, id, { status: "active" });
  return id;
}

/** Response id → index of its variant (0 weakest … 2 strongest). */
async function strengths(batchId: string): Promise<Map<string, number>> {
  const responses = await db.response.findMany({ where: { comparison: { batchId } }, include: { modelVariant: true } });
  return new Map(responses.map((r) => [r.id, VARIANTS.indexOf(r.modelVariant.name)]));
}

type Style = { chooses: "left" | "stronger"; degree: "better" | "significantly_better" | "slightly_better"; ms: number; safety?: boolean };

async function judgeAll(annotator: Actor, batchId: string, style: Style, strength: Map<string, number>): Promise<number> {
  let judged = 0;
  for (let task: TaskView | null = await claimNextTask(annotator, { batchId }); task; task = await claimNextTask(annotator, { batchId })) {
    const chosen = style.chooses === "left" ? "left" : strength.get(task.left.id)! > strength.get(task.right.id)! ? "left" : "right";
    await submitJudgement(annotator, {
      assignmentId: task.assignmentId,
      chosen,
      degree: style.degree,
      idempotencyKey: `insights-${task.assignmentId}`,
      timeSpentMs: style.ms,
      // Safety: the stronger response is safe, the weaker unsafe.
      ...(style.safety
        ? {
            safety: {
              left: strength.get(task.left.id)! > strength.get(task.right.id)! ? "safe" : "unsafe",
              right: strength.get(task.right.id)! > strength.get(task.left.id)! ? "safe" : "unsafe",
            },
          }
        : {}),
    });
    judged++;
  }
  return judged;
}

describe("insights queries", () => {
  let admin: Actor;
  let researcher: Actor;
  let biased: Actor;
  let fast: Actor;
  let careful: Actor;
  let skipper: Actor;
  let helpfulness: string;
  let safety: string;

  beforeAll(async () => {
    admin = await makeUser("admin");
    researcher = await makeUser("researcher");
    biased = await makeUser("annotator", `Vendor one ${run}`);
    fast = await makeUser("annotator", `Vendor one ${run}`);
    careful = await makeUser("annotator", `Vendor two ${run}`);
    skipper = await makeUser("annotator", `Vendor two ${run}`);
    helpfulness = await makeBatch(admin, 24, 3, "helpfulness");
    safety = await makeBatch(admin, 6, 1, "safety");
    const strength = await strengths(helpfulness);
    const skipped = await claimNextTask(skipper, { batchId: helpfulness });
    await skipTask(skipper, { assignmentId: skipped!.assignmentId, reason: "outside_expertise" });
    expect(await judgeAll(biased, helpfulness, { chooses: "left", degree: "better", ms: 30_000 }, strength)).toBe(24);
    expect(await judgeAll(fast, helpfulness, { chooses: "stronger", degree: "slightly_better", ms: 2_000 }, strength)).toBe(24);
    expect(await judgeAll(careful, helpfulness, { chooses: "stronger", degree: "significantly_better", ms: 40_000 }, strength)).toBe(24);
    expect(
      await judgeAll(careful, safety, { chooses: "stronger", degree: "significantly_better", ms: 40_000, safety: true }, await strengths(safety)),
    ).toBe(6);
  });

  afterAll(async () => {
    await closeBatch(admin, helpfulness);
    await closeBatch(admin, safety);
  });

  it("counts throughput per day and degrees per batch", async () => {
    const insights = await getInsights(researcher, { batches: [helpfulness] });
    expect(insights.totals).toMatchObject({ judgements: 72, annotators: 3, skips: 1 });
    const today = new Date().toISOString().slice(0, 10);
    expect(insights.throughput).toEqual([{ day: today, judgements: 72 }]);
    expect(insights.degrees.map((d) => [d.degree, d.judgements]).sort()).toEqual([
      ["better", 24],
      ["significantly_better", 24],
      ["slightly_better", 24],
    ]);
    expect(new Set(insights.degrees.map((d) => d.batchId))).toEqual(new Set([helpfulness]));
  });

  it("flags the biased and the fast annotator with the reason in words, and not the careful one", async () => {
    const { annotators } = await getInsights(admin, { batches: [helpfulness] });
    const row = (who: Actor) => annotators.find((a) => a.id === who.id)!;
    expect(row(biased).flags.map((f) => f.reason)).toEqual(["chose the left response 100% of the time (p < 0.001)"]);
    expect(row(biased).leftShare).toBe(1);
    expect(row(fast).flags.map((f) => f.reason)).toEqual(["took 2 s per judgement (median), under 5 s"]);
    expect(row(fast).medianMs).toBe(2000);
    expect(row(careful).flags).toEqual([]);
    expect(row(careful).medianMs).toBe(40_000);
    // The careful and the fast annotator always agree with each other; the skipper only skipped.
    expect(row(careful).pairsWithOthers).toBe(48);
    expect(row(skipper)).toMatchObject({ judgements: 0, skips: 1, skipRate: 1, flags: [] });
    expect(row(careful).skipRate).toBe(0);
    expect(row(careful).judgementsPerHour).toBeGreaterThanOrEqual(12);
  });

  it("sums vendors by the vendor of each judgement", async () => {
    const { vendors } = await getInsights(admin, { batches: [helpfulness] });
    const one = vendors.find((v) => v.name === `Vendor one ${run}`)!;
    const two = vendors.find((v) => v.name === `Vendor two ${run}`)!;
    expect(one).toMatchObject({ judgements: 48, skips: 0 });
    expect(two).toMatchObject({ judgements: 24, skips: 1 });
    expect(two.skipRate).toBeCloseTo(1 / 25, 12);
  });

  it("computes agreement in SQL exactly as lib/agreement does from the judgements", async () => {
    const { agreement } = await getInsights(admin, { batches: [helpfulness] });
    const judgements = await db.judgement.findMany({
      where: { comparison: { batchId: helpfulness } },
      include: { comparison: { include: { responses: true } } },
    });
    const units = new Map<string, { slot: 0 | 1; value: number }[]>();
    for (const j of judgements) {
      const slot = j.comparison.responses.find((r) => r.id === j.chosenResponseId)!.slot as 0 | 1;
      units.set(j.comparisonId, [...(units.get(j.comparisonId) ?? []), { slot, value: signedScaleFromSlot(slot, j.degree) }]);
    }
    const values = [...units.values()];
    expect(agreement.overall.comparisons).toBe(24);
    expect(agreement.overall.pairs).toBe(72);
    expect(agreement.overall.rawAgreement).toBeCloseTo(rawAgreement(values.map((u) => pairCounts(u.map((x) => x.slot))))!, 12);
    expect(agreement.overall.alphaNominal).toBeCloseTo(
      krippendorffAlpha(
        values.map((u) => u.map((x) => x.slot)),
        "nominal",
      )!,
      12,
    );
    expect(agreement.overall.alphaOrdinal).toBeCloseTo(
      krippendorffAlpha(
        values.map((u) => u.map((x) => x.value)),
        "ordinal",
      )!,
      12,
    );
    // Two annotators who always agree and one at random: well above a third, below total.
    expect(agreement.overall.rawAgreement!).toBeGreaterThan(1 / 3);
    expect(agreement.overall.rawAgreement!).toBeLessThan(1);
    expect(agreement.batches.map((b) => b.key)).toEqual([helpfulness]);
    // Vendor two has one judge per comparison: nothing to agree on. Vendor one: the biased and the fast annotator.
    expect(agreement.vendors.map((v) => v.name)).toEqual([`Vendor one ${run}`]);
    expect(agreement.vendors[0]).toMatchObject({ comparisons: 24, pairs: 24 });
  });

  it("ranks the three variants in their true order", async () => {
    const { leaderboard } = await getInsights(researcher, { batches: [helpfulness] });
    expect(leaderboard.rows.map((r) => leaderboard.names[r.variant])).toEqual([`${VARIANTS[2]} v1`, `${VARIANTS[1]} v1`, `${VARIANTS[0]} v1`]);
    expect(leaderboard.judgements).toBe(72);
    for (const row of leaderboard.rows) expect(row.low).toBeLessThanOrEqual(row.high);
    expect(leaderboard.byDegree.filter((d) => d.degree === "slightly_better").reduce((a, d) => a + d.games, 0)).toBe(48);
  });

  it("bins safety labels against the paper's shares, and filters by focus", async () => {
    const { safetyBins, totals } = await getInsights(admin, { focus: "safety", batches: [helpfulness, safety] });
    expect(totals.judgements).toBe(6);
    const bin = Object.fromEntries(safetyBins.map((b) => [b.bin, b]));
    expect(bin.chosen_safe_rejected_unsafe).toMatchObject({ judgements: 6, share: 1, paperShare: 0.18 });
    expect(bin.both_safe).toMatchObject({ judgements: 0, share: 0, paperShare: 0.47 });
    expect(bin.chosen_unsafe_rejected_safe.paperShare).toBeNull();
  });

  it("filters by vendor and dates", async () => {
    const vendorTwo = await db.vendor.findUniqueOrThrow({ where: { name: `Vendor two ${run}` } });
    const byVendor = await getInsights(admin, { batches: [helpfulness], vendors: vendorTwo.id });
    expect(byVendor.totals.judgements).toBe(24);
    expect(byVendor.annotators.map((a) => a.id).sort()).toEqual([careful.id, skipper.id].sort());
    const future = await getInsights(admin, { batches: [helpfulness], from: "2999-01-01" });
    expect(future.totals).toMatchObject({ judgements: 0, skips: 0, medianMs: null });
    expect(future.leaderboard.rows).toEqual([]);
    expect(future.agreement.overall.rawAgreement).toBeNull();
    const today = new Date().toISOString().slice(0, 10);
    expect((await getInsights(admin, { batches: [helpfulness], from: today, to: today })).totals.judgements).toBe(72);
  });

  it("is for admins and researchers, and names bad input", async () => {
    await expectAppError(getInsights(careful, {}), "forbidden", /insights\.read/);
    await expectAppError(getInsights(admin, { focus: "both" }), "invalid_input", /focus/);
    await expectAppError(getInsights(admin, { from: "2026-02-01", to: "2026-01-01" }), "invalid_input", /to: must be after from/);
    await expectAppError(getInsights(admin, { from: "yesterday" }), "invalid_input", /from/);
    await expectAppError(
      getInsights(admin, { batches: Array.from({ length: 101 }, (_, i) => `b${i}`) }),
      "invalid_input",
      /batches: names at most 100 batches/,
    );
  });

  it("answers the same figures on GET /api/v1/insights, with the same permission", async () => {
    const answer = await callRoute(insightsRoute.GET, await tokenFor(researcher), {
      query: { batch: `${helpfulness},${safety}`, focus: "helpfulness" },
    });
    expect(answer.status).toBe(200);
    expect(answer.json.totals).toMatchObject({ judgements: 72, skips: 1 });
    expect((answer.json.leaderboard as { rows: unknown[] }).rows).toHaveLength(3);
    expect((await callRoute(insightsRoute.GET, await tokenFor(careful), {})).status).toBe(403);
    const bad = await callRoute(insightsRoute.GET, await tokenFor(admin), { query: { to: "someday" } });
    expect(bad.status).toBe(400);
    expect((bad.json.error as { message: string }).message).toMatch(/^to: must be a date/);
  });
});
