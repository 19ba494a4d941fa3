// The end-to-end server: a fresh migrated database with known users, tokens and batches, then `next start`.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTestDatabase } from "../support/test-database";
import { startFakeModelServer } from "../support/fake-model-server";
import { PASSWORD, TOKENS_FILE, USERS, helpfulnessItems, safetyItems } from "./fixtures";

async function main() {
  const name = process.env.E2E_DATABASE_NAME;
  if (!name) throw new Error("E2E_DATABASE_NAME is not set (playwright.config.ts sets it)");
  const url = await createTestDatabase(name);
  Object.assign(process.env, { DATABASE_URL: url, NEXTAUTH_SECRET: "e2e-secret-0123456789abcdef" });

  const { db, disconnectDb } = await import("../../server/db");
  const { createUser } = await import("../../server/users/create-user");
  const { toActor } = await import("../../server/auth/actor");
  const { createApiToken } = await import("../../server/auth/api-tokens");
  const { createBatch } = await import("../../server/batches/create-batch");
  const { importItems } = await import("../../server/imports/import-items");
  const { setBatchStatus } = await import("../../server/batches/set-batch-status");
  const { createModelVariant } = await import("../../server/model-variants/create-model-variant");

  const tokens: Record<string, string> = {};
  for (const [key, user] of Object.entries(USERS)) {
    await createUser(null, { ...user, password: PASSWORD });
    const actor = toActor(await db.user.findUniqueOrThrow({ where: { email: user.email } }));
    tokens[key] = (await createApiToken(actor, { userId: actor.id, name: "e2e" })).token;
  }
  const admin = toActor(await db.user.findUniqueOrThrow({ where: { email: USERS.admin.email } }));
  const text = (s: string) =>
    (async function* () {
      yield s;
    })();
  const help = await createBatch(admin, {
    name: "E2E helpfulness",
    focus: "helpfulness",
    overlap: 1,
    guidelines: "# Be helpful\nChoose the **more helpful** answer. `<script>alert(1)</script>` is shown as text.",
  });
  await importItems(admin, help.id, "pairwise", text(helpfulnessItems()));
  await setBatchStatus(admin, help.id, { status: "active" });
  const safety = await createBatch(admin, { name: "E2E safety", focus: "safety", overlap: 1, guidelines: "Label safety." });
  await importItems(admin, safety.id, "pairwise", text(safetyItems()));
  await setBatchStatus(admin, safety.id, { status: "active" });
  // Live sampling (07-dialogue): two variants answering from a fake OpenAI-compatible server in this process,
  // its chunks paced so that the browser sees the text arrive.
  const models = await startFakeModelServer({ chunkDelayMs: 60 });
  // A slow endpoint (every answer takes 1.5 s), so that a generation job can be watched while it runs (14).
  const slowModels = await startFakeModelServer({ latencyMs: [1500, 1500] });
  const variants = [];
  for (const [name, range] of [
    ["e2e-chat", [0.2, 0.6]],
    ["e2e-chat-rlhf", [0.8, 1.2]],
  ] as const) {
    const variant = await createModelVariant(admin, {
      name,
      version: "v1",
      baseUrl: models.url,
      modelId: name,
      temperatureMin: range[0],
      temperatureMax: range[1],
    });
    variants.push(variant.id);
  }
  await disconnectDb();

  mkdirSync(path.dirname(TOKENS_FILE), { recursive: true });
  writeFileSync(
    TOKENS_FILE,
    JSON.stringify({
      tokens,
      batches: { helpfulness: help.id, safety: safety.id },
      modelVariants: variants,
      fakeModelServer: models.url,
      slowModelServer: slowModels.url,
    }),
  );

  const port = process.env.E2E_PORT ?? "3123";
  const root = path.resolve(__dirname, "..", "..");
  const app = spawn(path.join(root, "node_modules", ".bin", "next"), ["start", "-p", port, "-H", "127.0.0.1"], {
    stdio: "inherit",
    env: { ...process.env, NEXTAUTH_URL: `http://127.0.0.1:${port}` },
  });
  const stop = () => app.kill("SIGTERM");
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  app.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
