// The Llama 2 token counts an export's statistics rest on (server/exports/fill-token-counts.ts): filled once for the
// comparisons and responses a selection holds, with the counts tests/unit/llama-tokens.test.ts pins (texts whose
// tokenization llama-tokenizer-js documents), then kept: a second fill counts nothing again.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { createBatch } from "@/server/batches/create-batch";
import { importItems } from "@/server/imports/import-items";
import { setBatchStatus } from "@/server/batches/set-batch-status";
import { claimNextTask } from "@/server/tasks/claim-next-task";
import { submitJudgement } from "@/server/tasks/submit-judgement";
import { prepareExport } from "@/server/exports/prepare-export";
import { fillTokenCounts } from "@/server/exports/fill-token-counts";
import { createDataset } from "@/server/datasets/create-dataset";
import type { Actor } from "@/server/auth/permissions";
import { chunks, closeBatch, makeUser } from "../fixtures";

let researcher: Actor;
let batchId: string;

beforeAll(async () => {
  const admin = await makeUser("admin");
  researcher = await makeUser("researcher");
  const annotator = await makeUser("annotator");
  ({ id: batchId } = await createBatch(admin, { name: `Tokens ${randomUUID().slice(0, 8)}`, focus: "helpfulness", overlap: 1, guidelines: "" }));
  const line = {
    // Documented counts without BOS: "grabbed" 3, " grabbed" 4, "Hello world!" 3, "🦙" 5, "The llama\n" 4.
    context: [
      { role: "user", content: "grabbed" },
      { role: "assistant", content: " grabbed" },
    ],
    prompt: "Hello world!",
    responses: [
      { content: "🦙", model: { name: "tok", version: "a" } },
      { content: "The llama\n", model: { name: "tok", version: "b" } },
    ],
  };
  expect((await importItems(admin, batchId, "pairwise", chunks(JSON.stringify(line)))).imported).toBe(1);
  await setBatchStatus(admin, batchId, { status: "active" });
  const task = await claimNextTask(annotator, { batchId });
  await submitJudgement(annotator, {
    assignmentId: task!.assignmentId,
    chosen: "left",
    degree: "better",
    idempotencyKey: `tokens-${task!.assignmentId}`,
    timeSpentMs: 1000,
  });
  await closeBatch(admin, batchId);
});

describe("fillTokenCounts", () => {
  it("stores the exact Llama 2 counts of the context, the prompt and each response, once", async () => {
    const prepared = await prepareExport(researcher, { format: "canonical", batches: batchId });
    const progress: { done: number; total: number }[] = [];
    expect(await fillTokenCounts(prepared.filters, null, (p) => progress.push(p))).toEqual({ comparisons: 1, responses: 2 });
    expect(progress).toEqual([
      { done: 0, total: 1 },
      { done: 1, total: 1 },
    ]);
    const comparison = await db.comparison.findFirstOrThrow({ where: { batchId }, include: { responses: { orderBy: { slot: "asc" } } } });
    expect([comparison.contextLlamaTokens, comparison.promptLlamaTokens]).toEqual([3 + 4, 3]);
    expect(comparison.responses.map((r) => [r.content, r.llamaTokens])).toEqual([
      ["🦙", 5],
      ["The llama\n", 4],
    ]);

    // Kept: nothing is counted again, and a stored count is what the figures use (changed here to show it).
    expect(await fillTokenCounts(prepared.filters, null)).toEqual({ comparisons: 0, responses: 0 });
    await db.comparison.update({ where: { id: comparison.id }, data: { promptLlamaTokens: 30 } });
    const { manifest } = await createDataset(researcher, {
      name: `Tokens ${randomUUID().slice(0, 8)}`,
      format: "canonical",
      filters: { batches: [batchId] },
    });
    // Table 6: an example is context + prompt + the mean of the two responses.
    expect(manifest.table6).toMatchObject({ avgTokensInPrompt: 30, avgTokensInResponse: 4.5, avgTokensPerExample: 7 + 30 + 4.5 });
  });
});
