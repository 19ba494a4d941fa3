// Builders for the live-sampling tests: model variants pointing at the fake server, prompts-only batches,
// and waiting for a generation job to settle.
import { randomUUID } from "node:crypto";
import { db } from "@/server/db";
import { createBatch } from "@/server/batches/create-batch";
import { importItems } from "@/server/imports/import-items";
import { setBatchModelVariants } from "@/server/batches/set-batch-model-variants";
import { createModelVariant } from "@/server/model-variants/create-model-variant";
import type { ModelVariantView } from "@/server/model-variants/model-variant-view";
import type { Actor } from "@/server/auth/permissions";
import { chunks } from "./fixtures";

export async function makeVariant(admin: Actor, baseUrl: string, extra: Record<string, unknown> = {}): Promise<ModelVariantView> {
  const tag = randomUUID().slice(0, 8);
  return createModelVariant(admin, { name: `gen-${tag}`, version: "v1", baseUrl, modelId: `model-${tag}`, ...extra });
}

export function promptLine(i: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ prompt: `Prompt number ${i}: say something about ${i}.`, ...extra });
}

/** A draft batch holding `prompts` prompts (no responses), sampling from the given variants. */
export async function makePromptsBatch(admin: Actor, prompts: number, modelVariantIds: string[]): Promise<string> {
  const { id } = await createBatch(admin, { name: `generated ${randomUUID().slice(0, 8)}`, focus: "helpfulness", overlap: 1, guidelines: "" });
  const report = await importItems(admin, id, "prompts", chunks(Array.from({ length: prompts }, (_, i) => promptLine(i)).join("\n")));
  if (report.imported !== prompts) throw new Error(`fixture import failed: ${JSON.stringify(report)}`);
  if (modelVariantIds.length > 0) await setBatchModelVariants(admin, id, { modelVariantIds });
  return id;
}

/** Polls Postgres until the job is done or failed (the state there is the truth). */
export async function waitForJob(jobId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await db.generationJob.findUniqueOrThrow({ where: { id: jobId } });
    if (job.status === "done" || job.status === "failed") return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms (${job.done} done, ${job.failed} failed of ${job.total})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Polls until at least `count` items of the job are done. */
export async function waitForDoneItems(jobId: string, count: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await db.generationItem.count({ where: { jobId, status: "done" } })) < count) {
    if (Date.now() > deadline) throw new Error(`fewer than ${count} items of job ${jobId} done after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
