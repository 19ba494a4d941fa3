// Pre-generated batches on real Postgres, sampling from the fake OpenAI-compatible server: the pairing rule and
// provenance, retries, failed items and their retry, the per-variant bound, resuming an interrupted job without
// sampling a prompt twice, activation only once every comparison has its responses, and permissions.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { setBatchStatus } from "@/server/batches/set-batch-status";
import { setBatchModelVariants } from "@/server/batches/set-batch-model-variants";
import { updateModelVariant } from "@/server/model-variants/update-model-variant";
import { configureModelRetries } from "@/server/model-variants/model-client";
import { startGeneration } from "@/server/generation/start-generation";
import { getGenerationStatus } from "@/server/generation/queries";
import { retryFailedGeneration, retryFailedItems } from "@/server/generation/retry-failed-items";
import {
  generationRunsHere,
  generationTiming,
  generationWorkerId,
  resumeGenerationJobs,
  runGenerationJob,
  stopGenerationWorkers,
} from "@/server/generation/run-generation-job";
import { claimNextTask } from "@/server/tasks/claim-next-task";
import { comparisonContentSha256 } from "@/lib/content-hash";
import type { PlannedSlot } from "@/lib/sampling-plan";
import { startFakeModelServer, type FakeModelServer, type RecordedRequest } from "../support/fake-model-server";
import { closeBatch, makeUser } from "./fixtures";
import { makePromptsBatch, makeVariant, waitForDoneItems, waitForJob } from "./generation-fixtures";

let server: FakeModelServer;
beforeAll(async () => {
  server = await startFakeModelServer();
  configureModelRetries({ retries: 3, baseDelayMs: 5, maxDelayMs: 20 });
});
afterAll(async () => {
  await stopGenerationWorkers();
  await server.close();
});
beforeEach(() => server.reset());

async function expectAppError(promise: Promise<unknown>, code: string, message?: RegExp) {
  await expect(promise).rejects.toSatisfy(
    (error: unknown) => error instanceof AppError && error.code === code && (!message || message.test(error.message)),
  );
}

function chatRequests(): RecordedRequest[] {
  return server.requests.filter((r) => r.path === "/v1/chat/completions");
}

/** Requests whose last user message is this prompt. */
function requestsFor(prompt: string): RecordedRequest[] {
  return chatRequests().filter((r) => r.body.messages?.at(-1)?.content === prompt);
}

async function responsesPerComparison(batchId: string): Promise<number[]> {
  const comparisons = await db.comparison.findMany({ where: { batchId }, select: { _count: { select: { responses: true } } } });
  return comparisons.map((c) => c._count.responses);
}

describe("generation", () => {
  it("answers every prompt with two different variants, each at a temperature inside its range, and stores the provenance", async () => {
    const admin = await makeUser("admin");
    const variants = [
      await makeVariant(admin, server.url, { temperatureMin: 0.1, temperatureMax: 0.3, defaultSampling: { top_p: 0.9, max_tokens: 128 } }),
      await makeVariant(admin, server.url, { temperatureMin: 0.8, temperatureMax: 1.0 }),
      await makeVariant(admin, server.url, { defaultSampling: { temperature: 0.55 } }),
    ];
    const byId = new Map(variants.map((v) => [v.id, v]));
    const batchId = await makePromptsBatch(
      admin,
      30,
      variants.map((v) => v.id),
    );
    expect(await responsesPerComparison(batchId)).toEqual(Array(30).fill(0));

    const job = await startGeneration(admin, batchId);
    expect(job).toMatchObject({ batchId, total: 30, done: 0, failed: 0 });
    const finished = await waitForJob(job.id);
    expect(finished).toMatchObject({ status: "done", total: 30, done: 30, failed: 0 });

    const comparisons = await db.comparison.findMany({ where: { batchId }, include: { responses: { orderBy: { slot: "asc" } } } });
    const used = new Set<string>();
    for (const comparison of comparisons) {
      const [a, b] = comparison.responses;
      expect(comparison.responses.map((r) => r.slot)).toEqual([0, 1]);
      expect(a.modelVariantId).not.toBe(b.modelVariantId);
      const item = await db.generationItem.findUniqueOrThrow({ where: { jobId_comparisonId: { jobId: job.id, comparisonId: comparison.id } } });
      const plan = item.plan as PlannedSlot[];
      for (const [slot, response] of comparison.responses.entries()) {
        const variant = byId.get(response.modelVariantId)!;
        used.add(variant.id);
        expect(response.modelVariantId).toBe(plan[slot].modelVariantId);
        const sampling = response.sampling as { temperature: number; top_p?: number; max_tokens?: number; seed: number };
        if (variant.temperatureMin !== null) {
          expect(sampling.temperature).toBeGreaterThanOrEqual(variant.temperatureMin);
          expect(sampling.temperature).toBeLessThanOrEqual(variant.temperatureMax!);
        } else {
          expect(sampling.temperature).toBe(0.55); // no range: its default temperature
        }
        expect(sampling).toEqual({ ...variant.defaultSampling, temperature: plan[slot].temperature ?? 0.55, seed: plan[slot].seed });
        expect(Number.isInteger(sampling.seed)).toBe(true);
        // What the endpoint was sent is what was stored, and the content is its answer to exactly that.
        expect(response.content).toBe(`[${variant.modelId}] t=${sampling.temperature} seed=${sampling.seed} :: ${comparison.prompt}`);
        expect(response).toMatchObject({
          finishReason: "stop",
          promptTokens: expect.any(Number),
          completionTokens: expect.any(Number),
          latencyMs: expect.any(Number),
        });
        const sent = requestsFor(comparison.prompt).find((r) => r.body.model === variant.modelId)!;
        expect(sent.body).toMatchObject({ temperature: sampling.temperature, seed: sampling.seed, ...variant.defaultSampling });
      }
      expect(comparison.contentSha256).toBe(comparisonContentSha256([], comparison.prompt, [a.content, b.content]));
      expect(requestsFor(comparison.prompt)).toHaveLength(2);
    }
    expect(used.size).toBe(3);

    const status = await getGenerationStatus(admin, batchId);
    expect(status).toMatchObject({ comparisons: 30, lackingResponses: 0, job: { id: job.id, status: "done", percent: 100, pending: 0, errors: [] } });
    expect(status.modelVariants.map((v) => v.id).sort()).toEqual(variants.map((v) => v.id).sort());
  });

  it("starts once: starting again while the job runs returns the same job, and a finished batch has nothing to generate", async () => {
    const admin = await makeUser("admin");
    const [a, b] = [await makeVariant(admin, server.url), await makeVariant(admin, server.url)];
    const batchId = await makePromptsBatch(admin, 4, [a.id, b.id]);
    server.delay(50, Infinity);
    const [first, second] = await Promise.all([startGeneration(admin, batchId), startGeneration(admin, batchId)]);
    expect(second.id).toBe(first.id);
    expect((await startGeneration(admin, batchId)).id).toBe(first.id);
    await waitForJob(first.id);
    expect(await db.generationJob.count({ where: { batchId } })).toBe(1);
    expect(await db.generationItem.count({ where: { jobId: first.id } })).toBe(4);
    expect(chatRequests()).toHaveLength(8);
    await expectAppError(startGeneration(admin, batchId), "conflict", /nothing to generate/);
  });

  it("needs two active variants with an endpoint on the batch", async () => {
    const admin = await makeUser("admin");
    const [a, b] = [await makeVariant(admin, server.url), await makeVariant(admin, server.url)];
    const batchId = await makePromptsBatch(admin, 2, []);
    await expectAppError(startGeneration(admin, batchId), "conflict", /at least two active model variants .* \(it has 0\)/);
    await expectAppError(setBatchModelVariants(admin, batchId, { modelVariantIds: [a.id] }), "invalid_input", /at least two/);
    await expectAppError(setBatchModelVariants(admin, batchId, { modelVariantIds: [a.id, a.id] }), "invalid_input", /twice/);
    await expectAppError(
      setBatchModelVariants(admin, batchId, { modelVariantIds: [a.id, "nope"] }),
      "invalid_input",
      /modelVariantIds\.1: no model variant with id nope/,
    );
    const { id: imported } = await db.modelVariant.create({ data: { name: `imported-${batchId}` } });
    await expectAppError(setBatchModelVariants(admin, batchId, { modelVariantIds: [a.id, imported] }), "invalid_input", /has no endpoint/);
    await setBatchModelVariants(admin, batchId, { modelVariantIds: [a.id, b.id] });
    await updateModelVariant(admin, b.id, { active: false });
    await expectAppError(setBatchModelVariants(admin, batchId, { modelVariantIds: [a.id, b.id] }), "invalid_input", /inactive/);
    await expectAppError(startGeneration(admin, batchId), "conflict", /\(it has 1\)/);
    await expectAppError(startGeneration(admin, "nope"), "not_found");
    const audit = await db.auditEntry.findFirstOrThrow({ where: { entityId: batchId, action: "batch.model_variants" } });
    expect(audit.after).toEqual({ modelVariantIds: [a.id, b.id] });
  });

  it("retries 429 and 5xx answers and stores each pair once", async () => {
    const admin = await makeUser("admin");
    const [a, b] = [await makeVariant(admin, server.url), await makeVariant(admin, server.url)];
    const batchId = await makePromptsBatch(admin, 3, [a.id, b.id]);
    server.fail(429, 2, a.modelId!);
    server.fail(502, 1, b.modelId!);
    const job = await startGeneration(admin, batchId);
    expect(await waitForJob(job.id)).toMatchObject({ status: "done", done: 3, failed: 0 });
    expect(await responsesPerComparison(batchId)).toEqual([2, 2, 2]);
    expect(chatRequests().filter((r) => r.answer === 429)).toHaveLength(2);
    expect(chatRequests().filter((r) => r.answer === 502)).toHaveLength(1);
    expect(chatRequests().filter((r) => r.answer === 200)).toHaveLength(6);
  });

  it("marks items failed with the endpoint's error when retries run out, keeps the counts right, and retries them on request", async () => {
    const admin = await makeUser("admin");
    const broken = await makeVariant(admin, server.url);
    const [b, c] = [await makeVariant(admin, server.url), await makeVariant(admin, server.url)];
    const batchId = await makePromptsBatch(admin, 30, [broken.id, b.id, c.id]);
    server.fail(500, Infinity, broken.modelId!);
    const job = await startGeneration(admin, batchId);
    const finished = await waitForJob(job.id);

    const items = await db.generationItem.findMany({ where: { jobId: job.id } });
    const usesBroken = (item: (typeof items)[number]) => (item.plan as PlannedSlot[]).some((s) => s.modelVariantId === broken.id);
    const expectedFailed = items.filter(usesBroken).length;
    expect(expectedFailed).toBeGreaterThan(0);
    expect(expectedFailed).toBeLessThan(30);
    // Some items succeeded: the job is done, with its failures counted and listed.
    expect(finished).toMatchObject({ status: "done", total: 30, done: 30 - expectedFailed, failed: expectedFailed });
    for (const item of items) {
      if (usesBroken(item)) {
        // HTTP attempts: four to the broken endpoint (one and three retries), one to the other variant.
        expect(item).toMatchObject({ status: "failed", attempts: 5 });
        expect(item.error).toMatch(new RegExp(`^${broken.name} v1: .*500.*gave up after 4 attempts`));
      } else {
        expect(item).toMatchObject({ status: "done", error: null });
      }
    }
    const status = await getGenerationStatus(admin, batchId);
    expect(status.lackingResponses).toBe(expectedFailed);
    expect(status.job).toMatchObject({ status: "done", failed: expectedFailed, percent: 100 });
    expect(status.job!.errors).toHaveLength(expectedFailed);
    expect(status.job!.errors[0]).toMatchObject({ error: expect.stringMatching(/500/), prompt: expect.stringMatching(/^Prompt number/) });
    await expectAppError(setBatchStatus(admin, batchId, { status: "active" }), "conflict", new RegExp(`^${expectedFailed} of 30 comparisons`));

    server.reset();
    const retried = await retryFailedGeneration(admin, batchId);
    expect(retried).toMatchObject({ id: job.id, failed: 0, done: 30 - expectedFailed });
    expect(await waitForJob(job.id)).toMatchObject({ status: "done", done: 30, failed: 0 });
    expect(await responsesPerComparison(batchId)).toEqual(Array(30).fill(2));
    // The retry sampled only the failed items, with the plan drawn at the start.
    expect(chatRequests()).toHaveLength(2 * expectedFailed);
    for (const item of items.filter(usesBroken)) {
      const stored = await db.response.findMany({ where: { comparisonId: item.comparisonId }, orderBy: { slot: "asc" } });
      expect(stored.map((r) => r.modelVariantId)).toEqual((item.plan as PlannedSlot[]).map((s) => s.modelVariantId));
      expect(stored.map((r) => (r.sampling as { seed: number }).seed)).toEqual((item.plan as PlannedSlot[]).map((s) => s.seed));
    }
    await expectAppError(retryFailedItems(admin, job.id), "conflict", /no failed items/);
    await setBatchStatus(admin, batchId, { status: "active" });
    await closeBatch(admin, batchId);
  });

  it("ends a job as failed when every item failed; a retry then completes it", async () => {
    const admin = await makeUser("admin");
    const [a, b] = [await makeVariant(admin, server.url), await makeVariant(admin, server.url)];
    const batchId = await makePromptsBatch(admin, 2, [a.id, b.id]);
    server.fail(500, Infinity);
    const job = await startGeneration(admin, batchId);
    expect(await waitForJob(job.id)).toMatchObject({ status: "failed", done: 0, failed: 2 });
    expect(chatRequests()).toHaveLength(2 * 2 * 4); // two items × two slots × (1 + 3 retries)
    server.reset();
    expect(await retryFailedItems(admin, job.id)).toMatchObject({ status: "queued", failed: 0 });
    expect(await waitForJob(job.id)).toMatchObject({ status: "done", done: 2, failed: 0 });
    expect(await responsesPerComparison(batchId)).toEqual([2, 2]);
  });

  it("keeps at most maxConcurrency calls in flight per variant", async () => {
    const admin = await makeUser("admin");
    const narrow = await makeVariant(admin, server.url, { maxConcurrency: 2 });
    const wide = await makeVariant(admin, server.url, { maxConcurrency: 8 });
    const batchId = await makePromptsBatch(admin, 12, [narrow.id, wide.id]);
    server.delay(60, Infinity);
    const job = await startGeneration(admin, batchId);
    expect(await waitForJob(job.id)).toMatchObject({ status: "done", done: 12 });
    expect(server.maxInFlight.get(narrow.modelId!)).toBe(2);
    expect(server.maxInFlight.get(wide.modelId!)).toBeGreaterThan(2);
  });

  it("resumes an interrupted job where it stopped, without sampling any finished prompt again or storing a pair twice", async () => {
    const admin = await makeUser("admin");
    const [a, b] = [await makeVariant(admin, server.url, { maxConcurrency: 2 }), await makeVariant(admin, server.url, { maxConcurrency: 2 })];
    const batchId = await makePromptsBatch(admin, 12, [a.id, b.id]);
    server.delay(80, Infinity);
    const job = await startGeneration(admin, batchId);
    await waitForDoneItems(job.id, 3);

    // The process "dies": no more claims, in-flight calls are lost, the job is left running.
    await stopGenerationWorkers();
    const doneBefore = await db.generationItem.findMany({ where: { jobId: job.id, status: "done" }, include: { comparison: true } });
    const pending = await db.generationItem.findMany({ where: { jobId: job.id, status: "pending" }, include: { comparison: true } });
    expect(doneBefore.length).toBeGreaterThanOrEqual(3);
    expect(pending.length).toBeGreaterThan(0);
    expect(doneBefore.length + pending.length).toBe(12);
    expect((await db.generationJob.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("running");

    // While its heartbeat looks fresh another worker may still own it: resume leaves it alone.
    expect(await resumeGenerationJobs()).not.toContain(job.id);
    await db.generationJob.update({ where: { id: job.id }, data: { heartbeatAt: new Date(Date.now() - 10 * 60_000) } });

    // One pending comparison got its responses meanwhile (e.g. written by a worker that committed just before
    // dying): the resumed worker must mark it done without sampling it.
    const answered = pending[0];
    const plan = answered.plan as PlannedSlot[];
    await db.response.createMany({
      data: plan.map((slot, i) => ({ comparisonId: answered.comparisonId, slot: i, content: `kept ${i}`, modelVariantId: slot.modelVariantId })),
    });

    const requestsBefore = chatRequests().length;
    expect(await resumeGenerationJobs()).toContain(job.id);
    expect(await waitForJob(job.id)).toMatchObject({ status: "done", total: 12, done: 12, failed: 0 });

    expect(await responsesPerComparison(batchId)).toEqual(Array(12).fill(2));
    expect(await db.response.count({ where: { comparison: { batchId } } })).toBe(24);
    // Finished prompts were sampled exactly once per slot, over both runs.
    for (const item of doneBefore) {
      const sent = requestsFor(item.comparison.prompt);
      expect(sent).toHaveLength(2);
      expect(sent.map((r) => r.body.seed).sort()).toEqual((item.plan as PlannedSlot[]).map((s) => s.seed).sort());
    }
    // The comparison answered meanwhile kept its responses, and the resumed worker sent nothing for it.
    const kept = await db.response.findMany({ where: { comparisonId: answered.comparisonId }, orderBy: { slot: "asc" } });
    expect(kept.map((r) => r.content)).toEqual(["kept 0", "kept 1"]);
    expect(requestsFor(answered.comparison.prompt).filter((r) => chatRequests().indexOf(r) >= requestsBefore)).toHaveLength(0);
    // Every other pending prompt: sampled once per slot after the resume (calls lost in the "crash" aside).
    for (const item of pending.slice(1)) {
      const afterResume = requestsFor(item.comparison.prompt).filter((r) => chatRequests().indexOf(r) >= requestsBefore);
      expect(afterResume).toHaveLength(2);
    }
  });

  it("stops a worker whose job another worker took over, so the two never sample side by side", async () => {
    const admin = await makeUser("admin");
    const [a, b] = [await makeVariant(admin, server.url, { maxConcurrency: 1 }), await makeVariant(admin, server.url, { maxConcurrency: 1 })];
    const batchId = await makePromptsBatch(admin, 60, [a.id, b.id]); // one item at a time, ≥150 ms each: > 9 s of work
    server.delay(150, Infinity);
    const job = await startGeneration(admin, batchId);
    await waitForDoneItems(job.id, 1);
    // Another process takes the job over (as it would after this one stalled past the stale limit).
    const warnings = vi.spyOn(console, "warn");
    expect(generationRunsHere()).toContain(job.id);
    await db.generationJob.update({ where: { id: job.id }, data: { workerId: "another-server:1:0000", heartbeatAt: new Date() } });
    // Within one heartbeat this worker notices, drops the item in hand and claims nothing more: its runner ends, and
    // it says why (a crashed worker would neither end its runner cleanly nor name who took the job).
    await new Promise((r) => setTimeout(r, generationTiming().heartbeatMs + 1000));
    expect(generationRunsHere()).not.toContain(job.id);
    expect(warnings.mock.calls.map((c) => String(c[0]))).toContain(
      `generation job ${job.id}: no longer runs under this worker (${generationWorkerId()}), now taken over by another-server:1:0000; this worker stopped`,
    );
    warnings.mockRestore();
    const seen = chatRequests().length;
    await new Promise((r) => setTimeout(r, 800));
    expect(chatRequests().length).toBe(seen);
    expect(await db.generationItem.count({ where: { jobId: job.id, status: "pending" } })).toBeGreaterThan(0);
    expect((await db.generationJob.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("running");

    // The other process dies too; resuming finishes the job with every pair stored once.
    await db.generationJob.update({ where: { id: job.id }, data: { heartbeatAt: new Date(Date.now() - 10 * 60_000) } });
    server.reset();
    expect(await resumeGenerationJobs()).toContain(job.id);
    expect(await waitForJob(job.id)).toMatchObject({ status: "done", done: 60, failed: 0 });
    expect(await responsesPerComparison(batchId)).toEqual(Array(60).fill(2));
  }, 30_000);

  it("runs a job once however often it is asked to (start, run, resume at the same time)", async () => {
    const admin = await makeUser("admin");
    const [a, b] = [await makeVariant(admin, server.url), await makeVariant(admin, server.url)];
    const batchId = await makePromptsBatch(admin, 6, [a.id, b.id]);
    server.delay(30, Infinity);
    const job = await startGeneration(admin, batchId);
    await Promise.all([runGenerationJob(job.id), runGenerationJob(job.id), resumeGenerationJobs()]);
    expect(await waitForJob(job.id)).toMatchObject({ status: "done", done: 6 });
    expect(chatRequests()).toHaveLength(12);
  });

  it("activates a batch only when every comparison has two responses", async () => {
    const admin = await makeUser("admin");
    const annotator = await makeUser("annotator");
    const [a, b] = [await makeVariant(admin, server.url), await makeVariant(admin, server.url)];
    const batchId = await makePromptsBatch(admin, 3, [a.id, b.id]);
    await expectAppError(
      setBatchStatus(admin, batchId, { status: "active" }),
      "conflict",
      /3 of 3 comparisons still lack their two responses; generate them/,
    );
    expect((await db.batch.findUniqueOrThrow({ where: { id: batchId } })).status).toBe("draft");
    const job = await startGeneration(admin, batchId);
    await waitForJob(job.id);
    expect(await setBatchStatus(admin, batchId, { status: "active" })).toEqual({ id: batchId, status: "active" });
    const task = await claimNextTask(annotator, { batchId });
    expect(task).not.toBeNull();
    expect(JSON.stringify(task)).not.toContain(a.name); // still blind
    await closeBatch(admin, batchId);
  });

  it("refuses annotators and researchers on every generation action, and annotators on its status", async () => {
    const [admin, researcher, annotator] = await Promise.all([makeUser("admin"), makeUser("researcher"), makeUser("annotator")]);
    const [a, b] = [await makeVariant(admin, server.url), await makeVariant(admin, server.url)];
    const batchId = await makePromptsBatch(admin, 1, [a.id, b.id]);
    const job = await startGeneration(admin, batchId);
    await waitForJob(job.id);
    for (const actor of [researcher, annotator]) {
      await expectAppError(setBatchModelVariants(actor, batchId, { modelVariantIds: [a.id, b.id] }), "forbidden", /batches\.write/);
      await expectAppError(startGeneration(actor, batchId), "forbidden");
      await expectAppError(retryFailedItems(actor, job.id), "forbidden");
      await expectAppError(retryFailedGeneration(actor, batchId), "forbidden");
    }
    await expectAppError(getGenerationStatus(annotator, batchId), "forbidden");
    expect((await getGenerationStatus(researcher, batchId)).job?.id).toBe(job.id);
  });
});
