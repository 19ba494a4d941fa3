// Builders for integration tests: users, batches with comparisons, all through the real server/ functions.
import { randomUUID } from "node:crypto";
import { db } from "@/server/db";
import { createUser } from "@/server/users/create-user";
import { toActor } from "@/server/auth/actor";
import { createBatch } from "@/server/batches/create-batch";
import { importItems } from "@/server/imports/import-items";
import { setBatchStatus } from "@/server/batches/set-batch-status";
import type { Actor } from "@/server/auth/permissions";
import type { Role } from "@/lib/protocol";

export async function makeUser(role: Role, vendor?: string): Promise<Actor> {
  const email = `${role}-${randomUUID().slice(0, 8)}@test.pairwise`;
  await createUser(null, { email, password: "correct horse battery", role, vendor });
  return toActor(await db.user.findUniqueOrThrow({ where: { email } }));
}

export function pairwiseLine(i: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    prompt: `Question number ${i}: what is ${i} + ${i}?`,
    responses: [
      { content: `It is ${2 * i}.`, model: { name: "acme-chat", version: "v1" }, sampling: { temperature: 0.7 } },
      { content: `I think it is ${2 * i + 1}.`, model: { name: "acme-chat", version: "v2" }, sampling: { temperature: 1.1 } },
    ],
    ...extra,
  });
}

export async function* chunks(text: string, size = 1024): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

export async function makeActiveBatch(
  admin: Actor,
  options: { comparisons: number; overlap: number; focus?: "helpfulness" | "safety"; requireSafety?: boolean; leaseSeconds?: number },
): Promise<string> {
  const { id } = await createBatch(admin, {
    name: `batch ${randomUUID().slice(0, 8)}`,
    focus: options.focus ?? "helpfulness",
    overlap: options.overlap,
    guidelines: "# Guidelines\nPick the better one.",
    requireSafety: options.requireSafety,
    leaseSeconds: options.leaseSeconds,
  });
  const lines = Array.from({ length: options.comparisons }, (_, i) => pairwiseLine(i)).join("\n");
  const report = await importItems(admin, id, "pairwise", chunks(lines));
  if (report.imported !== options.comparisons) throw new Error(`fixture import failed: ${JSON.stringify(report)}`);
  await setBatchStatus(admin, id, { status: "active" });
  return id;
}

/** Closes a batch so later tests' claims do not see it. */
export async function closeBatch(admin: Actor, batchId: string): Promise<void> {
  await setBatchStatus(admin, batchId, { status: "closed" });
}

/** Every byte of a download (an export, a saved dataset, a bundle). */
export async function readAll(bytes: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of bytes) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}
