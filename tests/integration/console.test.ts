// The batches console's reads on real Postgres: the list's columns (annotators active in the last hour included),
// a batch's items paged and searched, the read-only preview of a comparison, and the same through API v1.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createBatch } from "@/server/batches/create-batch";
import { getBatch, getComparisonPreview, listBatches, listBatchItems, ITEMS_PAGE_SIZE } from "@/server/batches/queries";
import { importItems } from "@/server/imports/import-items";
import { claimNextTask } from "@/server/tasks/claim-next-task";
import { submitJudgement } from "@/server/tasks/submit-judgement";
import * as batchesRoute from "@/app/api/v1/batches/route";
import * as batchRoute from "@/app/api/v1/batches/[id]/route";
import * as itemsRoute from "@/app/api/v1/batches/[id]/items/route";
import { chunks, closeBatch, makeActiveBatch, makeUser } from "./fixtures";
import { promptLine } from "./generation-fixtures";
import { callRoute, expectAppError, tokenFor } from "./api-call";

function judge(assignmentId: string) {
  return { assignmentId, chosen: "right", degree: "slightly_better", idempotencyKey: `console-${randomUUID()}`, timeSpentMs: 500 };
}

async function summary(admin: Parameters<typeof listBatches>[0], batchId: string) {
  return (await listBatches(admin)).find((b) => b.id === batchId)!;
}

describe("batches console", () => {
  it("counts distinct annotators with a judgement or a lease of the batch in the last hour", async () => {
    const admin = await makeUser("admin");
    const [a, b, c] = await Promise.all([makeUser("annotator"), makeUser("annotator"), makeUser("annotator")]);
    const batchId = await makeActiveBatch(admin, { comparisons: 4, overlap: 2 });
    const elsewhere = await makeActiveBatch(admin, { comparisons: 1, overlap: 1 });
    expect(await summary(admin, batchId)).toMatchObject({
      comparisons: 4,
      judgements: 0,
      percentComplete: 0,
      activeAnnotators: 0,
      status: "active",
      focus: "helpfulness",
      overlap: 2,
    });

    // A judged just now: one.
    await submitJudgement(a, judge((await claimNextTask(a, { batchId }))!.assignmentId));
    expect((await summary(admin, batchId)).activeAnnotators).toBe(1);
    // B holds a lease: two. A judging again stays one person.
    await claimNextTask(b, { batchId });
    await submitJudgement(a, judge((await claimNextTask(a, { batchId }))!.assignmentId));
    expect(await summary(admin, batchId)).toMatchObject({ activeAnnotators: 2, judgements: 2, percentComplete: 25 });
    // C worked two hours ago: not counted.
    const old = (await claimNextTask(c, { batchId }))!;
    await submitJudgement(c, judge(old.assignmentId));
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    await db.assignment.update({ where: { id: old.assignmentId }, data: { leasedAt: twoHoursAgo } });
    await db.judgement.update({ where: { assignmentId: old.assignmentId }, data: { createdAt: twoHoursAgo } });
    expect((await summary(admin, batchId)).activeAnnotators).toBe(2);
    // Work on another batch counts there, not here.
    await claimNextTask(c, { batchId: elsewhere });
    expect((await summary(admin, batchId)).activeAnnotators).toBe(2);
    expect((await summary(admin, elsewhere)).activeAnnotators).toBe(1);
    expect((await getBatch(admin, batchId)).activeAnnotators).toBe(2);

    const api = await callRoute(batchesRoute.GET, await tokenFor(admin));
    expect((api.json.batches as { id: string }[]).find((row) => row.id === batchId)).toMatchObject({
      activeAnnotators: 2,
      judgements: 3,
      comparisons: 4,
    });
    await closeBatch(admin, batchId);
    await closeBatch(admin, elsewhere);
  });

  it("pages a batch's items and searches their prompts, any case", async () => {
    const admin = await makeUser("admin");
    const batchId = await makeActiveBatch(admin, { comparisons: 30, overlap: 1 });
    const first = await listBatchItems(admin, batchId);
    expect(first).toMatchObject({ total: 30, page: 1, pages: 2, pageSize: ITEMS_PAGE_SIZE, q: "" });
    expect(first.items).toHaveLength(25);
    expect(first.items[0]).toMatchObject({ prompt: "Question number 0: what is 0 + 0?", responses: 2, judgements: 0, turnIndex: 0 });
    const second = await listBatchItems(admin, batchId, { page: "2" });
    expect(second.items.map((i) => i.prompt.split(":")[0])).toEqual([25, 26, 27, 28, 29].map((i) => `Question number ${i}`));
    expect((await listBatchItems(admin, batchId, { page: 99 })).page).toBe(2);
    expect((await listBatchItems(admin, batchId, { page: "junk" })).page).toBe(1);

    const ones = await listBatchItems(admin, batchId, { q: "number 1" });
    expect(ones.total).toBe(11); // 1 and 10–19
    expect((await listBatchItems(admin, batchId, { q: "QUESTION NUMBER 7:" })).items.map((i) => i.prompt)).toEqual([
      "Question number 7: what is 7 + 7?",
    ]);
    // LIKE wildcards in the search are literal characters.
    expect((await listBatchItems(admin, batchId, { q: "%" })).total).toBe(0);
    expect((await listBatchItems(admin, batchId, { q: "number _:" })).total).toBe(0);
    await expectAppError(listBatchItems(admin, "missing"), "not_found");

    const token = await tokenFor(admin);
    const api = await callRoute(itemsRoute.GET, token, { params: { id: batchId }, query: { q: "number 2", page: "1" } });
    expect(api.json).toMatchObject({ total: 11, page: 1, q: "number 2" });
    const detail = await callRoute(batchRoute.GET, token, { params: { id: batchId } });
    expect(detail.json).toMatchObject({
      id: batchId,
      comparisons: 30,
      lackingResponses: 0,
      guidelines: { version: 1 },
      imports: [{ format: "pairwise", imported: 30 }],
    });
    await closeBatch(admin, batchId);
  });

  it("previews a comparison as annotators see it, with the models only admins see; prompts awaiting generation show none", async () => {
    const admin = await makeUser("admin");
    const batchId = await makeActiveBatch(admin, { comparisons: 2, overlap: 1 });
    const [item] = (await listBatchItems(admin, batchId)).items;
    const preview = await getComparisonPreview(admin, batchId, item.id);
    expect(preview).toMatchObject({
      batch: { id: batchId, focus: "helpfulness" },
      guidelines: { version: 1, markdown: "# Guidelines\nPick the better one." },
      prompt: "Question number 0: what is 0 + 0?",
      context: [],
      responses: [
        { slot: 0, content: "It is 0.", model: { name: "acme-chat", version: "v1" }, sampling: { temperature: 0.7 } },
        { slot: 1, content: "I think it is 1.", model: { name: "acme-chat", version: "v2" }, sampling: { temperature: 1.1 } },
      ],
    });
    const other = await makeActiveBatch(admin, { comparisons: 1, overlap: 1 });
    await expectAppError(getComparisonPreview(admin, other, item.id), "not_found");

    const { id: prompts } = await createBatch(admin, { name: `prompts ${randomUUID().slice(0, 8)}`, focus: "helpfulness" });
    await importItems(admin, prompts, "prompts", chunks(promptLine(1)));
    const [waiting] = (await listBatchItems(admin, prompts)).items;
    expect(waiting.responses).toBe(0);
    expect((await getComparisonPreview(admin, prompts, waiting.id)).responses).toEqual([]);
    expect((await getBatch(admin, prompts)).lackingResponses).toBe(1);
    await closeBatch(admin, batchId);
    await closeBatch(admin, other);
  });
});
