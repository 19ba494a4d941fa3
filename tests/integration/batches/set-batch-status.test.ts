// A batch's generation follows its lifecycle: pausing the batch pauses its job (no calls, nothing stored),
// resuming carries on with the same draws, and closing cancels it, here or when its worker runs on another server
// (that worker stops at its next heartbeat and stores nothing once the close has committed).
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { setBatchStatus } from "@/server/batches/set-batch-status";
import { setBatchModelVariants } from "@/server/batches/set-batch-model-variants";
import { importItems } from "@/server/imports/import-items";
import { startGeneration } from "@/server/generation/start-generation";
import { getGenerationStatus } from "@/server/generation/queries";
import { retryFailedGeneration } from "@/server/generation/retry-failed-items";
import { setLocalGenerationRuns } from "@/server/generation/run-generation-job";
import type { PlannedSlot } from "@/lib/sampling-plan";
import type { RecordedRequest } from "../../support/fake-model-server";
import { expectAppError } from "../api-call";
import { chunks, makeActiveBatch, makeUser } from "../fixtures";
import {
  makePromptsBatch,
  makeVariant,
  promptLine,
  startWorkerProcess,
  withFakeModelServer,
  stopWorkerProcess,
  waitForDoneItems,
  waitForJob,
  type WorkerProcess,
} from "../generation-fixtures";

const server = withFakeModelServer();
let worker: WorkerProcess | null = null;
afterEach(async () => {
  if (worker) await stopWorkerProcess(worker);
  worker = null;
  setLocalGenerationRuns(true);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const chatRequests = (): RecordedRequest[] => server().requests.filter((r) => r.path === "/v1/chat/completions");
const responsesIn = (batchId: string) => db.response.count({ where: { comparison: { batchId } } });

describe("a batch's lifecycle and its generation", () => {
  it("pauses the job with the batch (no calls, nothing stored) and carries on with the same draws when it resumes", async () => {
    const admin = await makeUser("admin");
    const [a, b] = [await makeVariant(admin, server().url, { maxConcurrency: 2 }), await makeVariant(admin, server().url, { maxConcurrency: 2 })];
    // An active batch (one complete comparison) that gets new prompts: they are generated while it is active.
    const batchId = await makeActiveBatch(admin, { comparisons: 1, overlap: 1 });
    await setBatchModelVariants(admin, batchId, { modelVariantIds: [a.id, b.id] });
    const lines = Array.from({ length: 30 }, (_, i) => promptLine(i, {}, "pause ")).join("\n");
    expect((await importItems(admin, batchId, "prompts", chunks(lines))).imported).toBe(30);
    server().delay(100, Infinity);
    const job = await startGeneration(admin, batchId);
    await waitForDoneItems(job.id, 4);

    await setBatchStatus(admin, batchId, { status: "paused" });
    const pausedAt = Date.now();
    const atPause = { responses: await responsesIn(batchId), job: await db.generationJob.findUniqueOrThrow({ where: { id: job.id } }) };
    expect(atPause.job.status).toBe("paused");
    expect(atPause.job.done).toBeLessThan(30);
    await sleep(700);
    expect(chatRequests().filter((r) => r.startedAt > pausedAt)).toHaveLength(0);
    expect(await responsesIn(batchId)).toBe(atPause.responses);
    expect(await db.generationJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "paused", done: atPause.job.done });
    expect((await getGenerationStatus(admin, batchId)).job).toMatchObject({ id: job.id, status: "paused" });
    await expectAppError(startGeneration(admin, batchId), "conflict", /paused.*resume the batch/);
    await expectAppError(retryFailedGeneration(admin, batchId), "conflict", /paused.*resume the batch/);
    const audit = await db.auditEntry.findFirstOrThrow({ where: { entityId: batchId, action: "batch.status" }, orderBy: { createdAt: "desc" } });
    expect(audit.after).toEqual({ status: "paused", generationJobs: { [job.id]: "paused" } });

    // Resuming is not held back by the prompts still being generated; the job carries on where it stopped.
    await setBatchStatus(admin, batchId, { status: "active" });
    expect(await waitForJob(job.id)).toMatchObject({ status: "done", done: 30, failed: 0 });
    const comparisons = await db.comparison.findMany({ where: { batchId }, include: { responses: true } });
    expect(comparisons.map((c) => c.responses.length)).toEqual(Array(31).fill(2));
    const items = await db.generationItem.findMany({ where: { jobId: job.id }, include: { comparison: true } });
    const modelOf = new Map([a, b].map((v) => [v.modelId!, v.id]));
    for (const item of items) {
      const plan = item.plan as PlannedSlot[];
      for (const request of chatRequests().filter((r) => r.body.messages?.at(-1)?.content === item.comparison.prompt)) {
        const slot = plan.find((s) => s.modelVariantId === modelOf.get(request.body.model!))!;
        expect(request.body.seed).toBe(slot.seed); // a call cut off by the pause is sent again with its draw
      }
    }
    await setBatchStatus(admin, batchId, { status: "closed" });
  });

  it("cancels the job when the batch closes: nothing more is stored or sent, and nothing can start again", async () => {
    const admin = await makeUser("admin");
    const [a, b] = [await makeVariant(admin, server().url, { maxConcurrency: 2 }), await makeVariant(admin, server().url, { maxConcurrency: 2 })];
    const batchId = await makePromptsBatch(admin, 40, [a.id, b.id], "close here ");
    server().delay(100, Infinity);
    const job = await startGeneration(admin, batchId);
    await waitForDoneItems(job.id, 4);
    await setBatchStatus(admin, batchId, { status: "closed" });
    const closedAt = Date.now();
    const atClose = { responses: await responsesIn(batchId), job: await db.generationJob.findUniqueOrThrow({ where: { id: job.id } }) };
    expect(atClose.job).toMatchObject({ status: "cancelled", finishedAt: expect.any(Date) });
    expect(atClose.responses).toBe(2 * atClose.job.done);
    await sleep(700);
    expect(chatRequests().filter((r) => r.startedAt > closedAt)).toHaveLength(0);
    expect(await responsesIn(batchId)).toBe(atClose.responses);
    expect((await getGenerationStatus(admin, batchId)).job).toMatchObject({ status: "cancelled", done: atClose.job.done });
    await expectAppError(startGeneration(admin, batchId), "conflict", /closed/);
    await expectAppError(retryFailedGeneration(admin, batchId), "conflict", /closed/);
  });

  it("stops a job running on another server when the batch closes here, storing nothing after the close", async () => {
    setLocalGenerationRuns(false);
    const admin = await makeUser("admin");
    const [a, b] = [await makeVariant(admin, server().url, { maxConcurrency: 2 }), await makeVariant(admin, server().url, { maxConcurrency: 2 })];
    const batchId = await makePromptsBatch(admin, 60, [a.id, b.id], "close elsewhere ");
    server().delay(100, Infinity);
    worker = await startWorkerProcess({ sweep: true, heartbeatMs: 1000, retryBaseMs: 5 });
    const job = await startGeneration(admin, batchId);
    await waitForDoneItems(job.id, 6, 30_000);
    expect((await db.generationJob.findUniqueOrThrow({ where: { id: job.id } })).workerId).toBe(worker.workerId);

    await setBatchStatus(admin, batchId, { status: "closed" });
    const closedAt = Date.now();
    const atClose = { responses: await responsesIn(batchId), job: await db.generationJob.findUniqueOrThrow({ where: { id: job.id } }) };
    expect(atClose.job.status).toBe("cancelled");
    // Calls in flight may end meanwhile, but none of them is stored, and the worker sends nothing after its next
    // heartbeat (1 s).
    await sleep(2500);
    expect(await responsesIn(batchId)).toBe(atClose.responses);
    expect(await db.generationItem.count({ where: { jobId: job.id, status: "done" } })).toBe(atClose.job.done);
    expect(chatRequests().filter((r) => r.startedAt > closedAt + 1000 + 300)).toHaveLength(0);
    expect(await db.generationJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "cancelled", done: atClose.job.done });
    expect(worker.child.exitCode).toBeNull(); // it stopped the job, not itself
  }, 60_000);
});
