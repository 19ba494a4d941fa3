// Builders for the live-sampling tests: model variants pointing at the fake server, prompts-only batches,
// waiting for a generation job to settle, and generation workers in processes of their own.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { db } from "@/server/db";
import { configureModelRetries, type RetryPolicy } from "@/server/model-variants/model-client";
import { stopGenerationWorkers } from "@/server/generation/run-generation-job";
import { startFakeModelServer, type FakeModelServer } from "../support/fake-model-server";
import { createBatch } from "@/server/batches/create-batch";
import { importItems } from "@/server/imports/import-items";
import { setBatchModelVariants } from "@/server/batches/set-batch-model-variants";
import { createModelVariant } from "@/server/model-variants/create-model-variant";
import type { ModelVariantView } from "@/server/model-variants/model-variant-view";
import type { Actor } from "@/server/auth/permissions";
import { chunks } from "./fixtures";

/**
 * The fake model server of a test file: started before its tests (model calls retried with short delays), its
 * switches and records reset before each test, closed after this process's generation workers have stopped.
 */
export function withFakeModelServer(retries: Partial<RetryPolicy> = {}): () => FakeModelServer {
  let server: FakeModelServer;
  beforeAll(async () => {
    server = await startFakeModelServer();
    configureModelRetries({ retries: 3, baseDelayMs: 5, maxDelayMs: 20, ...retries });
  });
  afterAll(async () => {
    await stopGenerationWorkers();
    await server.close();
  });
  beforeEach(() => server.reset());
  return () => server;
}

export async function makeVariant(admin: Actor, baseUrl: string, extra: Record<string, unknown> = {}): Promise<ModelVariantView> {
  const tag = randomUUID().slice(0, 8);
  return createModelVariant(admin, { name: `gen-${tag}`, version: "v1", baseUrl, modelId: `model-${tag}`, ...extra });
}

export function promptLine(i: number, extra: Record<string, unknown> = {}, tag = ""): string {
  return JSON.stringify({ prompt: `${tag}Prompt number ${i}: say something about ${i}.`, ...extra });
}

/** A draft batch holding `prompts` prompts (no responses), sampling from the given variants; `tag` starts each prompt. */
export async function makePromptsBatch(admin: Actor, prompts: number, modelVariantIds: string[], tag = ""): Promise<string> {
  const { id } = await createBatch(admin, { name: `generated ${randomUUID().slice(0, 8)}`, focus: "helpfulness", overlap: 1, guidelines: "" });
  const report = await importItems(admin, id, "prompts", chunks(Array.from({ length: prompts }, (_, i) => promptLine(i, {}, tag)).join("\n")));
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
    if (Date.now() > deadline)
      throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms (${job.done} done, ${job.failed} failed of ${job.total})`);
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

export type WorkerProcess = {
  workerId: string;
  child: ChildProcess;
  readyAt: number;
  exited: Promise<number | null>;
  stderr: () => string;
  /** The JSON lines it printed after it was ready ({"swept": …} after SIGUSR1, {"runs": …} after SIGUSR2). */
  messages: Record<string, unknown>[];
};

/**
 * Starts tests/support/generation-worker-process.ts in a process of its own on this run's database (a second
 * server, as far as generation goes) and resolves once it says it works.
 */
export async function startWorkerProcess(
  options: { sweep?: boolean; run?: string[]; heartbeatMs?: number; retryBaseMs?: number; databaseUrl?: string } = {},
): Promise<WorkerProcess> {
  const root = path.resolve(__dirname, "..", "..");
  const args = ["tests/support/generation-worker-process.ts"];
  if (options.sweep) args.push("--sweep");
  for (const jobId of options.run ?? []) args.push("--run", jobId);
  if (options.retryBaseMs !== undefined) args.push("--retry-base-ms", String(options.retryBaseMs));
  // Node itself with tsx as a loader: the tsx command would run the script in a grandchild that outlives a SIGKILL.
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd: root,
    env: {
      ...process.env,
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      GENERATION_HEARTBEAT_MS: String(options.heartbeatMs ?? 1000),
      DATABASE_POOL_MAX: "10",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let errors = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (errors = (errors + chunk).slice(-10_000)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout! });
  const messages: Record<string, unknown>[] = [];
  const workerId = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker process not ready after 60 s: ${errors}`)), 60_000);
    lines.on("line", (line) => {
      try {
        const message = JSON.parse(line) as { ready?: boolean; workerId?: string };
        if (!message.ready) messages.push(message);
        else if (message.workerId) {
          clearTimeout(timer);
          resolve(message.workerId);
        }
      } catch {
        // not ours (a log line)
      }
    });
    void exited.then((code) => reject(new Error(`worker process exited (${code}) before it was ready: ${errors}`)));
  });
  return { workerId, child, readyAt: Date.now(), exited, stderr: () => errors, messages };
}

/** Sends a worker process SIGUSR1 (sweep now) or SIGUSR2 (which jobs it runs) and resolves with its answer. */
export async function askWorkerProcess(worker: WorkerProcess, signal: "SIGUSR1" | "SIGUSR2", timeoutMs = 10_000): Promise<string[]> {
  const key = signal === "SIGUSR1" ? "swept" : "runs";
  const before = worker.messages.length;
  worker.child.kill(signal);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = worker.messages.slice(before).find((m) => Array.isArray(m[key]));
    if (answer) return answer[key] as string[];
    if (Date.now() > deadline)
      throw new Error(`worker process ${worker.workerId} did not answer ${signal} within ${timeoutMs} ms: ${worker.stderr()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Stops a worker process: SIGTERM (its workers stop as on shutdown), or SIGKILL (a crash). */
export async function stopWorkerProcess(worker: WorkerProcess, signal: "SIGTERM" | "SIGKILL" = "SIGTERM"): Promise<void> {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill(signal);
  await worker.exited;
}
