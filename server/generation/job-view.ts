// What callers see of a generation job: its state and counts, as stored in Postgres (the truth).
import type { GenerationJob } from "../generated/prisma/client";

export type GenerationJobView = {
  id: string;
  batchId: string;
  /** paused: its batch is paused (it carries on when the batch is resumed); cancelled: its batch was closed. */
  status: "queued" | "running" | "paused" | "done" | "failed" | "cancelled";
  total: number;
  done: number;
  failed: number;
  pending: number;
  /** Items settled (done or failed) out of total, 0–100 with one decimal. */
  percent: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  heartbeatAt: string | null;
};

export function toGenerationJobView(job: GenerationJob): GenerationJobView {
  const settled = job.done + job.failed;
  return {
    id: job.id,
    batchId: job.batchId,
    status: job.status,
    total: job.total,
    done: job.done,
    failed: job.failed,
    pending: Math.max(0, job.total - settled),
    percent: job.total === 0 ? 100 : Math.round((settled / job.total) * 1000) / 10,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    heartbeatAt: job.heartbeatAt?.toISOString() ?? null,
  };
}
